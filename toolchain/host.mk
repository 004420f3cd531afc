# host: x86_64 static musl, run natively
CC := musl-gcc
STRIP := strip
RUNNER :=
TARGET_CFLAGS :=
