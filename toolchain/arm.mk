# SPDX-License-Identifier: ISC
# arm: ARMv7-A, Thumb-2, hard float (Debian armhf with musl), run under qemu-arm
TCC := arm-linux-musleabihf-gcc
TSTRIP := arm-linux-gnueabihf-strip
RUNNER := qemu-arm
TARGET_CFLAGS := -march=armv7-a+fp -mthumb
TPKG := gcc-arm-linux-gnueabihf musl-dev:armhf
