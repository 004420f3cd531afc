# mipsel: MIPS32 little-endian (OpenWrt-class routers), run under qemu-mipsel
CC := mipsel-linux-musl-gcc
STRIP := mipsel-linux-gnu-strip
RUNNER := qemu-mipsel
TARGET_CFLAGS :=
