# SPDX-License-Identifier: ISC
# armel: ARMv5TE soft float (older ARM boards), run under qemu-arm
TCC := arm-linux-musleabi-gcc
TSTRIP := arm-linux-gnueabi-strip
RUNNER := qemu-arm
TARGET_CFLAGS := -march=armv5te -marm
TPKG := gcc-arm-linux-gnueabi musl-dev:armel
