# SPDX-License-Identifier: ISC
# toolchain/rules-bench.mk: `make bench` and `make bench-arm`, side-by-side
# benchmarks of udsbox against s6, ucspi-unix, socat, nc and a reference
# epoll server (bench/). Never part of `make check`; never fails on a ratio.
#   make bench       host and ARMv7 (qemu-arm) sections; writes bench/RESULTS.md
#   make bench-arm   the ARMv7 section only; writes build/bench/RESULTS-arm.md
#   make bench-tools only the helper programs, in build/bench/
# BENCH_SECS, BENCH_REPS, BENCH_BYTES, BENCH_RUNS: see bench/run.sh.
.PHONY: bench bench-arm bench-tools bench-setup

BENCH_DIR := build/bench
BENCH_CC := cc
BENCH_MUSL := musl-gcc
BENCH_ARMCC := arm-linux-musleabihf-gcc
BENCH_FLAGS := -O2 -Wall -Wextra
BENCH_TOOLS := $(BENCH_DIR)/loadgen $(BENCH_DIR)/ref_server $(BENCH_DIR)/memwriter \
	$(BENCH_DIR)/probe $(BENCH_DIR)/ref_server.arm $(BENCH_DIR)/memwriter.arm \
	$(BENCH_DIR)/probe.arm

bench: all arm bench-setup bench-tools
	@bash bench/run.sh

bench-arm: arm bench-setup bench-tools
	@BENCH_OUT=$(BENCH_DIR)/RESULTS-arm.md bash bench/run.sh arm

bench-setup:
	@$(SETUP) bench

bench-tools: $(BENCH_TOOLS)

$(BENCH_DIR):
	mkdir -p $@

# the load generator is the client side for everyone: plain cc -O2
$(BENCH_DIR)/loadgen: bench/loadgen.c | $(BENCH_DIR)
	@echo "  CC    $@"; $(BENCH_CC) $(BENCH_FLAGS) -o $@ $<

# the reference and the limits: static musl, as udsbox is
$(BENCH_DIR)/%: bench/%.c | $(BENCH_DIR)
	@echo "  CC    $@"; $(BENCH_MUSL) -static $(BENCH_FLAGS) -o $@ $<

$(BENCH_DIR)/%.arm: bench/%.c | $(BENCH_DIR)
	@echo "  CC    $@"; $(BENCH_ARMCC) -static $(BENCH_FLAGS) -o $@ $<
