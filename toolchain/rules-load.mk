# SPDX-License-Identifier: ISC
# toolchain/rules-load.mk: the host-side load tools (test/tools/) and the load
# suite alone. test/load.test builds the tools itself on first use; these rules
# are for working on them.
#   make load-tools                  build/tools/udsload and its like
#   make test-load [LOAD_TARGET=arm] test/load.test alone, on one target
.PHONY: load-tools test-load
LOAD_TARGET ?= host

load-tools:
	@sh test/tools/build.sh build/tools

test-load: load-tools
	@$(MAKE) --no-print-directory $(if $(filter host,$(LOAD_TARGET)),all,$(LOAD_TARGET))
	@SUITES=test/load.test RUNNER="$$(sed -n 's/^RUNNER := *//p' toolchain/$(LOAD_TARGET).mk)" \
		sh test/run.sh $(LOAD_TARGET)
