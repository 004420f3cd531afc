# SPDX-License-Identifier: ISC
# mips: MIPS32r2 big-endian soft float (OpenWrt ath79-class routers), with the
# musl toolchain/musl builds (Debian has no musl-dev:mips), run under qemu-mips
TCC := build/toolchain/mips/bin/mips-linux-musl-gcc
TSTRIP := mips-linux-gnu-strip
RUNNER := qemu-mips
TARGET_CFLAGS :=
TPKG := gcc-mips-linux-gnu (musl from toolchain/musl)
MUSL := mips
