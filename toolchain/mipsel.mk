# SPDX-License-Identifier: ISC
# mipsel: MIPS32 little-endian (OpenWrt-class routers), run under qemu-mipsel
TCC := mipsel-linux-musl-gcc
TSTRIP := mipsel-linux-gnu-strip
RUNNER := qemu-mipsel
TARGET_CFLAGS :=
TPKG := gcc-mipsel-linux-gnu musl-dev:mipsel
