# arm64: AArch64 static musl, run under qemu-aarch64
CC := aarch64-linux-musl-gcc
STRIP := aarch64-linux-gnu-strip
RUNNER := qemu-aarch64
TARGET_CFLAGS :=
