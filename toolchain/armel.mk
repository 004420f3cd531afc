# armel: ARMv5TE soft float (older ARM boards), run under qemu-arm
CC := arm-linux-musleabi-gcc
STRIP := arm-linux-gnueabi-strip
RUNNER := qemu-arm
TARGET_CFLAGS := -march=armv5te -marm
