# SPDX-License-Identifier: ISC
# toolchain/rules-soak.mk: the chaos soak (test/soak/soak.sh), included by the
# top Makefile.
#   make soak [SOAK_SECONDS=20] [SOAK_TARGET=arm]
#                 random clients (test/tools/soak.c) against a stream and a
#                 seqpacket uds-serve -I upper for SOAK_SECONDS, every reply
#                 checked; then the servers' descriptors, VmRSS and idle CPU.
#                 SOAK_TARGET other than host runs the server under that
#                 target's emulator (its RUNNER); the clients always run natively.
#                 SOAK_SEED=N replays a run; SOAK_EXCLUDE=LIST (soak -x) leaves
#                 out a client kind or feature, for working around a known bug.
.PHONY: soak
SOAK_SECONDS ?= 20
SOAK_TARGET ?= host

soak:
	@$(MAKE) --no-print-directory $(if $(filter host,$(SOAK_TARGET)),all,$(SOAK_TARGET))
	@sh test/tools/build.sh build/tools
	@UDSBOX=build/$(SOAK_TARGET)/udsbox SOAK_SECONDS=$(SOAK_SECONDS) SOAK_TOOLS=build/tools \
		RUNNER="$$(sed -n 's/^RUNNER := *//p' toolchain/$(SOAK_TARGET).mk)" \
		sh test/soak/soak.sh
