# SPDX-License-Identifier: ISC
# arm64: AArch64 static musl, run under qemu-aarch64
TCC := aarch64-linux-musl-gcc
TSTRIP := aarch64-linux-gnu-strip
RUNNER := qemu-aarch64
TARGET_CFLAGS :=
TPKG := gcc-aarch64-linux-gnu musl-dev:arm64
