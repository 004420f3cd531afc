# SPDX-License-Identifier: ISC
# toolchain/build.mk: builds one target; called by the top Makefile as
#   make -f toolchain/build.mk TARGET=NAME
# The variables a packager sets (CC, CROSS_COMPILE, CFLAGS, STATIC, ...) are
# described at the top of the Makefile. Nothing here installs anything.
include toolchain/$(TARGET).mk

# The compiler and strip: for the default target (host), the user's CC and
# STRIP (command line or environment) win, then CROSS_COMPILE's; the named
# targets (make arm, make mips, ...) always use their own toolchain.
ifeq ($(TARGET),host)
ifeq ($(filter command line environment,$(origin CC)),)
CC := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)gcc,$(TCC))
endif
ifeq ($(filter command line environment,$(origin STRIP)),)
STRIP := $(if $(CROSS_COMPILE),$(CROSS_COMPILE)strip,$(TSTRIP))
# a cross toolchain with no strip of its own (Debian's musl wrappers): the
# linker strips instead
ifeq ($(shell command -v $(STRIP) 2>/dev/null),)
STRIP := :
LINK_STRIP := -s
endif
endif
else
CC := $(TCC)
ifeq ($(filter command line environment,$(origin STRIP)),)
STRIP := $(TSTRIP)
endif
endif
ifeq ($(shell command -v $(firstword $(CC)) 2>/dev/null),)
$(error $(firstword $(CC)) not found: install $(if $(filter $(TCC),$(CC)),$(TPKG),it), or run make setup)
endif

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
# BUILDDIR=DIR: the build goes there instead (a second compiler beside the first)
ifneq ($(BUILDDIR),)
OUT := $(BUILDDIR)
endif

# The version: git describe in a clone with a tag, else the VERSION file.
VERSION := $(shell git describe --tags --dirty 2>/dev/null | sed 's/^v//')
ifeq ($(VERSION),)
VERSION := $(shell cat VERSION)
endif

CC_IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -qi clang && echo y)
STATIC ?= 1
WERROR ?=
V ?=
Q := $(if $(filter 1,$(V)),,@)
SRCS := $(wildcard core/*.c) $(wildcard applets/*.c)
OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(notdir $(SRCS)))
OPT ?= -Os
CFLAGS ?=
CPPFLAGS ?=
LDFLAGS ?=
# gcc: link-time optimisation with fat objects (make nomalloc reads each one),
# and our own memcpy/memset in the static builds (core/mem.c), which needs
# the loops kept as loops. clang gets neither: it has no such switch.
GCC_CFLAGS := $(if $(CC_IS_CLANG),,-flto -ffat-lto-objects $(if $(filter 1,$(STATIC)),-fno-tree-loop-distribute-patterns -DUB_OWN_MEM))
GCC_LDFLAGS := $(if $(CC_IS_CLANG),-Wno-unused-command-line-argument,-flto)
STATIC_CFLAGS := $(if $(filter 1,$(STATIC)),-fno-pie)
STATIC_LDFLAGS := $(if $(filter 1,$(STATIC)),-static -no-pie)
ALL_CFLAGS := -std=gnu11 $(OPT) -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) -D_GNU_SOURCE \
	-DUB_VERSION='"$(VERSION)"' \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-jump-tables -fno-ident $(STATIC_CFLAGS) $(GCC_CFLAGS) $(HELP_CFLAGS) \
	$(TARGET_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(GCC_LDFLAGS) $(STATIC_LDFLAGS) $(LINK_STRIP) -Wl,--gc-sections -Wl,--build-id=none -Wl,-z,norelro \
	-Wl,-z,noseparate-code -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=16 $(LDFLAGS)

vpath %.c core applets

# STRIP=: (or any strip that leaves no file) gives the unstripped binary
$(OUT)/udsbox: $(OUT)/udsbox.full
	@echo "  STRIP $@"; rm -f $@
	$(Q)$(STRIP) -s -R .comment -o $@ $<
	$(Q)[ -f $@ ] || cp $< $@
	@ln -sf udsbox $(OUT)/uds-serve
	@ln -sf udsbox $(OUT)/uds-connect

$(OUT)/udsbox.full: $(OBJS)
	@echo "  LD    $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(OBJS)

# every object is rebuilt when the flags, the compiler or the version change
$(OUT)/flags: FORCE | $(OUT)/obj
	@echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' >$@

# a target with its own musl (toolchain/musl) rebuilds when that musl does
$(OUT)/obj/%.o: %.c core/core.h applets/uds_serve.h $(OUT)/flags $(if $(MUSL),build/toolchain/$(MUSL)/built) | $(OUT)/obj
	@echo "  CC    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(OUT)/obj:
	mkdir -p $@

.PHONY: FORCE
