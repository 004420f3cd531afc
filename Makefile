# SPDX-License-Identifier: ISC
# Makefile: udsbox, one static multi-call binary per target in build/<target>/.
#
# What a packager or user may set (make VAR=value); building never installs
# anything, and only `make setup`, `make demo` and `make check` run
# toolchain/setup (which apt-installs what the tests need, as root on Debian):
#   CC             compiler of the default build (default musl-gcc; gcc or clang,
#                  musl or glibc); ignored by the named targets (make arm, ...)
#   CROSS_COMPILE  prefix of a cross toolchain: CC=$(CROSS_COMPILE)gcc, STRIP too
#   CPPFLAGS       added to every compile, e.g. -DUB_MAXCONN=2000 (core/core.h
#                  lists the capacities and checks their range)
#   CFLAGS, LDFLAGS  added to ours (CFLAGS after, so they win)
#   OPT            optimisation (default -Os)
#   STATIC         1 (default): static and no PIE; 0: linked dynamically
#   STRIP          strip program; STRIP=: leaves build/<target>/udsbox unstripped
#   WERROR         1: warnings are errors (make check sets it; a packager's
#                  build never fails on a warning)
#   V              1: full command lines
#   BUILDDIR       output directory of the build instead of build/<target>
#   DESTDIR, PREFIX (/usr/local), BINDIR (PREFIX/bin), MANDIR (PREFIX/share/man)
#                  for make install, which installs the binary as built
TARGETS := host arm arm64 armel mipsel mips riscv64
# ARMv7 size budgets (bytes): the default build, and `make HELP=short`. Raised
# from 24576 for the exec service, the full --help and the live upgrade, from
# 28672 for the second security round (issue 18), from 34816 for the tap and
# an upgrade that rests over a shortage: see README "Size" for what each costs.
SIZE_BUDGET := 35328
SHORT_BUDGET := 33280
SETUP := toolchain/setup

.PHONY: install all arm arm64 armel mipsel mips riscv64 test test-arm test-arm64 test-armel test-mipsel \
	test-mips test-riscv64 check demo size clean distclean setup nomalloc dist

all:
	@$(MAKE) --no-print-directory -f toolchain/build.mk TARGET=host

arm arm64 armel mipsel:
	@$(MAKE) --no-print-directory -f toolchain/build.mk TARGET=$@

# Debian has no musl for these: toolchain/musl builds it once into build/toolchain/.
mips riscv64:
	@toolchain/musl $@
	@$(MAKE) --no-print-directory -f toolchain/build.mk TARGET=$@

setup:
	@$(SETUP)

test: all
	RUNNER= sh test/run.sh host

# make test-arm and the like: the suites under the target's emulator (RUNNER
# in toolchain/TARGET.mk)
TEST_TARGETS := $(addprefix test-,$(filter-out host,$(TARGETS)))
$(TEST_TARGETS): test-%: %
	RUNNER=$$(sed -n 's/^RUNNER := *//p' toolchain/$*.mk) sh test/run.sh $*

# Every build, the static checks, and the suites on every target; ends with
# one line that sums them all.
check: setup
	@WERROR=1 SIZE_BUDGET=$(SIZE_BUDGET) SHORT_BUDGET=$(SHORT_BUDGET) sh test/check.sh $(TARGETS)

nomalloc:
	@sh test/nomalloc.sh $(TARGETS)

# HELP=short (make HELP=short, make arm HELP=short, make size HELP=short):
# --help is the synopsis alone; those builds are in build/<target>-short/.
HELP ?= full
BUILDS := $(if $(filter short,$(HELP)),$(addsuffix -short,$(TARGETS)),$(TARGETS))

size:
	@sh test/size.sh $(SIZE_BUDGET) $(SHORT_BUDGET) $(BUILDS)

# make install [TARGET=arm] [DESTDIR=...] [PREFIX=/usr/local]: the binary as
# built (stripped unless built with STRIP=:), its applet links (relative, so
# the tree can move into an image) and the man pages.
PREFIX ?= /usr/local
DESTDIR ?=
TARGET ?= host
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
MAN1DIR = $(MANDIR)/man1
OUTDIR = $(if $(BUILDDIR),$(BUILDDIR),build/$(TARGET)$(if $(filter short,$(HELP)),-short))

install:
	@$(MAKE) --no-print-directory $(if $(filter host,$(TARGET)),all,$(TARGET))
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MAN1DIR)"
	install -m 0755 $(OUTDIR)/udsbox "$(DESTDIR)$(BINDIR)/udsbox"
	ln -sf udsbox "$(DESTDIR)$(BINDIR)/uds-serve"
	ln -sf udsbox "$(DESTDIR)$(BINDIR)/uds-connect"
	install -m 0644 man/udsbox.1 man/uds-serve.1 man/uds-connect.1 "$(DESTDIR)$(MAN1DIR)/"

# make demo [TARGET=mips]: the seed's exchange with one target's binary under
# its emulator (default arm, whatever TARGET means to install)
DEMO_TARGET = $(if $(filter command line environment,$(origin TARGET)),$(TARGET),arm)
demo: setup
	@$(MAKE) --no-print-directory $(if $(filter host,$(DEMO_TARGET)),all,$(DEMO_TARGET))
	@sh test/demo.sh $(DEMO_TARGET)

# clean keeps build/toolchain (the musl builds); distclean removes it too.
clean:
	@[ ! -d build ] || find build -mindepth 1 -maxdepth 1 ! -name toolchain -exec rm -rf {} +

distclean:
	rm -rf build

# Further rules (fuzzing, sanitizers, lint, benchmarks, man pages) live in
# their own files, one concern each.
-include $(wildcard toolchain/rules-*.mk)
