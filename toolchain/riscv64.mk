# SPDX-License-Identifier: ISC
# riscv64: RV64GC, lp64d, with the musl toolchain/musl builds (Debian has no
# musl-dev:riscv64 in bookworm), run under qemu-riscv64
TCC := build/toolchain/riscv64/bin/riscv64-linux-musl-gcc
TSTRIP := riscv64-linux-gnu-strip
RUNNER := qemu-riscv64
TARGET_CFLAGS :=
TPKG := gcc-riscv64-linux-gnu (musl from toolchain/musl)
MUSL := riscv64
