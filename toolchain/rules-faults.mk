# SPDX-License-Identifier: ISC
# toolchain/rules-faults.mk: syscall fault injection under strace.
#   make faults     build the host binary, then run test/faults/faults.sh against it:
#                   every workload, server and client side, every injection of
#                   its plan; a table, then `faults: N passed, N failed`.
# FAULTS_JOBS (runs at once, default 2) and FAULTS_BOUND (seconds, default 10)
# pass through the environment. Without strace it skips and passes.
.PHONY: faults

faults:
	@$(MAKE) --no-print-directory all
	@UDSBOX=$(CURDIR)/build/host/udsbox sh test/faults/faults.sh
