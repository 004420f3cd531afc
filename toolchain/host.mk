# SPDX-License-Identifier: ISC
# host: x86_64 static musl, run natively
TCC := musl-gcc
TSTRIP := strip
RUNNER :=
TARGET_CFLAGS :=
TPKG := musl-tools
