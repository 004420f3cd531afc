# arm: ARMv7-A, Thumb-2, hard float (Debian armhf with musl), run under qemu-arm
CC := arm-linux-musleabihf-gcc
STRIP := arm-linux-gnueabihf-strip
RUNNER := qemu-arm
TARGET_CFLAGS := -march=armv7-a+fp -mthumb
