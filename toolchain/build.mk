# toolchain/build.mk: builds one target; called by the top Makefile as
#   make -f toolchain/build.mk TARGET=NAME
include toolchain/$(TARGET).mk

# HELP=short: --help prints the synopsis alone (-DUB_HELP_SHORT), for images
# that count every byte; built apart, in build/<target>-short/.
HELP ?= full
ifeq ($(HELP),short)
OUT := build/$(TARGET)-short
HELP_CFLAGS := -DUB_HELP_SHORT
else ifeq ($(HELP),full)
OUT := build/$(TARGET)
HELP_CFLAGS :=
else
$(error HELP is full or short, not $(HELP))
endif
SRCS := $(wildcard core/*.c) $(wildcard applets/*.c)
OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(notdir $(SRCS)))
OPT ?= -Os
CFLAGS ?=
LDFLAGS ?=
ALL_CFLAGS := -std=gnu11 $(OPT) -flto -Wall -Wextra -Werror -D_GNU_SOURCE \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-jump-tables -fno-tree-loop-distribute-patterns -fno-pie -fno-ident -DUB_OWN_MEM $(HELP_CFLAGS) \
	-ffat-lto-objects $(TARGET_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := -flto -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,noseparate-code -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=16 $(LDFLAGS)

vpath %.c core applets

$(OUT)/udsbox: $(OUT)/udsbox.full
	@echo "  STRIP $@"; $(STRIP) -s -R .comment -o $@ $<
	@ln -sf udsbox $(OUT)/uds-serve
	@ln -sf udsbox $(OUT)/uds-connect

$(OUT)/udsbox.full: $(OBJS)
	@echo "  LD    $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS)

# a target with its own musl (toolchain/musl) rebuilds when that musl does
$(OUT)/obj/%.o: %.c core/core.h applets/uds_serve.h toolchain/$(TARGET).mk $(if $(MUSL),build/toolchain/$(MUSL)/built) | $(OUT)/obj
	@echo "  CC    $@"; $(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OUT)/obj:
	mkdir -p $@
