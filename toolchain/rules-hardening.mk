# SPDX-License-Identifier: ISC
# toolchain/rules-hardening.mk: fuzzing, sanitizers, valgrind and lint, on the
# glibc host (included by the top Makefile; none of this is a shipped target).
#
#   make fuzz [FUZZ_SECONDS=10] [FUZZ_TARGETS="numbers getopt"]
#                     libFuzzer targets test/fuzz/fuzz_*.c against core/, one after
#                     another; executions per target in build/fuzz/summary.txt,
#                     crash inputs in test/fuzz/crashes/ (not committed)
#   make fuzz-campaign [FUZZ_RUNS=10000000] [FUZZ_TARGETS=...]
#                     the long run, by hand: FUZZ_RUNS executions a target, its
#                     corpus then minimized into test/fuzz/corpus/ (to commit)
#   make sanitize     build/asan/udsbox (clang ASan+UBSan) and the suites on it;
#                     fails on any sanitizer report (build/asan/reports/)
#   make valgrind     build/vg/udsbox (gcc -O1 -g) and the suites with every applet
#                     under valgrind (test/hardening/vgrun); fails on any error
#   make coverage     build/cov/udsbox (gcc --coverage), the host suites on it and
#                     the fuzz corpora replayed, then line and branch coverage
#                     per file of core/ and applets/ (build/cov/report.txt)
#   make lint         cppcheck and clang-tidy (config: .clang-tidy) over core/ and applets/
#
# Tools: clang and libclang-rt-14-dev (the fuzzer and sanitizer runtimes),
# valgrind, cppcheck, clang-tidy.

.PHONY: hard-force fuzz fuzz-campaign fuzz-build coverage coverage-build sanitize sanitize-build valgrind valgrind-build lint hard-need-clang

HARD_CORE := $(wildcard core/*.c)
HARD_SRCS := $(HARD_CORE) $(wildcard applets/*.c)
HARD_WARN := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror
HARD_NEED = @for t in $(1); do command -v $$t >/dev/null 2>&1 || \
	{ echo "make $@: $$t not found: apt-get install $(2)" >&2; exit 1; }; done

# Said before the compiler's own "not found", which would say less.
hard-need-clang:
	@$(SETUP) hardening
	$(call HARD_NEED,clang,clang libclang-rt-14-dev)

# ---- fuzzing --------------------------------------------------------------
FUZZ_SECONDS ?= 10
FUZZ_CC ?= clang
FUZZ_CFLAGS ?=
FZ_ALL := $(patsubst test/fuzz/fuzz_%.c,%,$(wildcard test/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FZ_ALL)
FZ_OUT := build/fuzz
FZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(HARD_WARN) $(FUZZ_CFLAGS) $(FZ_EXTRA)
FZ_CORE_OBJS := $(patsubst core/%.c,$(FZ_OUT)/obj/%.o,$(HARD_CORE))

# ub_die and ub_diesys _exit(); the harness's own (test/fuzz/die.c) longjmp
# back instead, so msg.c's are renamed out of the way. pw.c reads the
# database files the dbline target points it at.
$(FZ_OUT)/obj/msg.o: FZ_EXTRA = -Dub_die=ub_msg_die -Dub_diesys=ub_msg_diesys
$(FZ_OUT)/obj/pw.o: FZ_EXTRA = -DUB_PASSWD=ub_fuzz_passwd -DUB_GROUP=ub_fuzz_group \
	-include test/fuzz/fuzz.h

fuzz: fuzz-build
	@sh test/hardening/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# the long campaign, by hand (not in make check): FUZZ_RUNS executions a
# target, then its corpus minimized into test/fuzz/corpus (commit it)
FUZZ_RUNS ?= 10000000
fuzz-campaign: fuzz-build
	@sh test/hardening/campaign.sh $(FUZZ_RUNS) $(FUZZ_TARGETS)

fuzz-build: hard-need-clang $(FUZZ_TARGETS:%=$(FZ_OUT)/%)

# Rebuilt when FUZZ_CC or FUZZ_CFLAGS change: the file changes only then.
$(FZ_OUT)/flags: hard-force | $(FZ_OUT)/obj
	@echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' | cmp -s - $@ || echo '$(FUZZ_CC) $(FUZZ_CFLAGS)' >$@
hard-force:

$(FZ_OUT)/obj/%.o: core/%.c core/core.h test/fuzz/fuzz.h $(FZ_OUT)/flags toolchain/rules-hardening.mk | $(FZ_OUT)/obj
	@echo "  CC    $@"; $(FUZZ_CC) $(FZ_FLAGS) -c -o $@ $<

$(FZ_OUT)/obj/fz_%.o: test/fuzz/%.c core/core.h test/fuzz/fuzz.h $(FZ_OUT)/flags toolchain/rules-hardening.mk | $(FZ_OUT)/obj
	@echo "  CC    $@"; $(FUZZ_CC) $(FZ_FLAGS) -c -o $@ $<

# fuzz_getopt parses with the applets' own option strings: the one ub_getopt
# call of each applet, as it is now (a second or none fails the build).
$(FZ_OUT)/specs.h: applets/uds_serve.c applets/uds_connect.c toolchain/rules-hardening.mk | $(FZ_OUT)/obj
	@echo "  GEN   $@"; for a in serve connect; do \
		sed -n "s/.*ub_getopt([^\"]*\(\"[^\"]*\"\)).*/static const char $${a}_spec[] = \1;/p" applets/uds_$$a.c; \
	done >$@.tmp && [ "$$(grep -c _spec $@.tmp)" = 2 ] && mv $@.tmp $@
$(FZ_OUT)/obj/fz_fuzz_getopt.o: $(FZ_OUT)/specs.h
$(FZ_OUT)/obj/fz_fuzz_getopt.o: FZ_EXTRA = -I$(FZ_OUT)

# fuzz_state builds uds_serve_upgrade.c into itself for state_check (the
# rest of that file is never called: the harness stubs what it refers to)
$(FZ_OUT)/obj/fz_fuzz_state.o: applets/uds_serve_upgrade.c applets/uds_serve.h

# An archive, so that a target links only the core files it uses.
$(FZ_OUT)/libcore.a: $(FZ_CORE_OBJS)
	@echo "  AR    $@"; rm -f $@; ar rcs $@ $^

$(FZ_ALL:%=$(FZ_OUT)/%): $(FZ_OUT)/%: $(FZ_OUT)/obj/fz_fuzz_%.o $(FZ_OUT)/obj/fz_die.o $(FZ_OUT)/libcore.a
	@echo "  LD    $@"; $(FUZZ_CC) $(FZ_FLAGS) -o $@ $^

$(FZ_OUT)/obj:
	@mkdir -p $@

# ---- sanitizers -----------------------------------------------------------
SAN_CC ?= clang
SAN_OUT := build/asan
SAN_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all $(HARD_WARN)
SAN_OBJS := $(patsubst %.c,$(SAN_OUT)/obj/%.o,$(notdir $(HARD_SRCS)))

sanitize: sanitize-build
	@sh test/hardening/suites.sh asan

sanitize-build: hard-need-clang $(SAN_OUT)/udsbox

$(SAN_OUT)/udsbox: $(SAN_OBJS)
	@echo "  LD    $@"; $(SAN_CC) $(SAN_FLAGS) -o $@ $^
	@ln -sf udsbox $(SAN_OUT)/uds-serve
	@ln -sf udsbox $(SAN_OUT)/uds-connect

$(SAN_OUT)/obj/%.o: core/%.c core/core.h toolchain/rules-hardening.mk | $(SAN_OUT)/obj
	@echo "  CC    $@"; $(SAN_CC) $(SAN_FLAGS) -c -o $@ $<
$(SAN_OUT)/obj/%.o: applets/%.c core/core.h toolchain/rules-hardening.mk | $(SAN_OUT)/obj
	@echo "  CC    $@"; $(SAN_CC) $(SAN_FLAGS) -c -o $@ $<

$(SAN_OUT)/obj:
	@mkdir -p $@

# ---- valgrind -------------------------------------------------------------
VG_CC ?= gcc
VG_OUT := build/vg
VG_FLAGS := -g -O1 $(HARD_WARN)
VG_OBJS := $(patsubst %.c,$(VG_OUT)/obj/%.o,$(notdir $(HARD_SRCS)))

valgrind: valgrind-build
	$(call HARD_NEED,valgrind,valgrind)
	@sh test/hardening/suites.sh vg

valgrind-build: hard-need-clang $(VG_OUT)/udsbox

$(VG_OUT)/udsbox: $(VG_OBJS)
	@echo "  LD    $@"; $(VG_CC) $(VG_FLAGS) -o $@ $^
	@ln -sf udsbox $(VG_OUT)/uds-serve
	@ln -sf udsbox $(VG_OUT)/uds-connect

$(VG_OUT)/obj/%.o: core/%.c core/core.h toolchain/rules-hardening.mk | $(VG_OUT)/obj
	@echo "  CC    $@"; $(VG_CC) $(VG_FLAGS) -c -o $@ $<
$(VG_OUT)/obj/%.o: applets/%.c core/core.h toolchain/rules-hardening.mk | $(VG_OUT)/obj
	@echo "  CC    $@"; $(VG_CC) $(VG_FLAGS) -c -o $@ $<

$(VG_OUT)/obj:
	@mkdir -p $@

# ---- coverage -------------------------------------------------------------
# make coverage: the host binary built by gcc --coverage (build/cov), the host
# suites run on it and every fuzz target's corpus replayed through a gcc
# build of its harness (test/hardening/replay.c), then gcov's line and branch
# coverage of each file of core/ and applets/ (test/hardening/coverage.sh).
COV_CC ?= gcc
COV_OUT := build/cov
COV_FLAGS := -g -O0 --coverage $(HARD_WARN)
COV_OBJS := $(patsubst %.c,$(COV_OUT)/obj/%.o,$(notdir $(HARD_SRCS)))
# the replays share the binary's core objects, but for msg.c and pw.c,
# built as make fuzz builds them (their counters then go apart)
COV_FZ_CORE := $(filter-out $(COV_OUT)/obj/msg.o $(COV_OUT)/obj/pw.o,$(patsubst core/%.c,$(COV_OUT)/obj/%.o,$(HARD_CORE))) \
	$(COV_OUT)/fz/msg.o $(COV_OUT)/fz/pw.o

coverage: coverage-build
	@sh test/hardening/coverage.sh $(FZ_ALL)

coverage-build: $(COV_OUT)/udsbox $(FZ_ALL:%=$(COV_OUT)/fz/%)

# the applets end by _exit or by their own signal: cov_exit.c writes the
# counters first
$(COV_OUT)/udsbox: $(COV_OBJS) $(COV_OUT)/fz/cov_exit.o
	@echo "  LD    $@"; $(COV_CC) $(COV_FLAGS) -Wl,--wrap=_exit -Wl,--wrap=kill -o $@ $^
	@ln -sf udsbox $(COV_OUT)/uds-serve
	@ln -sf udsbox $(COV_OUT)/uds-connect

$(COV_OUT)/obj/%.o: core/%.c core/core.h toolchain/rules-hardening.mk | $(COV_OUT)/obj
	@echo "  CC    $@"; $(COV_CC) $(COV_FLAGS) -c -o $@ $<
$(COV_OUT)/obj/%.o: applets/%.c core/core.h applets/uds_serve.h toolchain/rules-hardening.mk | $(COV_OUT)/obj
	@echo "  CC    $@"; $(COV_CC) $(COV_FLAGS) -c -o $@ $<

$(COV_OUT)/fz/msg.o: core/msg.c core/core.h | $(COV_OUT)/fz
	@echo "  CC    $@"; $(COV_CC) $(COV_FLAGS) -Dub_die=ub_msg_die -Dub_diesys=ub_msg_diesys -c -o $@ $<
$(COV_OUT)/fz/pw.o: core/pw.c core/core.h test/fuzz/fuzz.h | $(COV_OUT)/fz
	@echo "  CC    $@"; $(COV_CC) $(COV_FLAGS) -DUB_PASSWD=ub_fuzz_passwd -DUB_GROUP=ub_fuzz_group \
		-include test/fuzz/fuzz.h -c -o $@ $<
$(COV_OUT)/fz/cov_exit.o: test/hardening/cov_exit.c | $(COV_OUT)/fz
	@echo "  CC    $@"; $(COV_CC) -O1 -c -o $@ $<
$(COV_OUT)/fz/replay.o: test/hardening/replay.c | $(COV_OUT)/fz
	@echo "  CC    $@"; $(COV_CC) $(HARD_WARN) -O1 -c -o $@ $<
$(COV_OUT)/fz/fz_%.o: test/fuzz/%.c core/core.h test/fuzz/fuzz.h $(FZ_OUT)/specs.h applets/uds_serve_upgrade.c | $(COV_OUT)/fz
	@echo "  CC    $@"; $(COV_CC) $(COV_FLAGS) -I$(FZ_OUT) -c -o $@ $<

$(FZ_ALL:%=$(COV_OUT)/fz/%): $(COV_OUT)/fz/%: $(COV_OUT)/fz/fz_fuzz_%.o $(COV_OUT)/fz/fz_die.o $(COV_OUT)/fz/replay.o $(COV_FZ_CORE)
	@echo "  LD    $@"; $(COV_CC) $(COV_FLAGS) -o $@ $^

$(COV_OUT)/obj $(COV_OUT)/fz:
	@mkdir -p $@

# ---- lint -----------------------------------------------------------------
lint:
	$(call HARD_NEED,cppcheck clang-tidy,cppcheck clang-tidy)
	@sh test/hardening/lint.sh $(HARD_SRCS)
