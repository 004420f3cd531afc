# SPDX-License-Identifier: ISC
# toolchain/rules-vm.mk: udsbox on real kernels (test/vm/vm.sh), included by
# the top Makefile.
#   make vm-arm vm-armel vm-arm64 vm-mipsel   one VM: Debian's kernel under
#                 qemu-system, busybox init as PID 1, the checks over the
#                 console; kernel and busybox fetched by toolchain/vm-fetch
#   make vm       the four, one after the other (2 cores: never in parallel)
#   VM_TIMEOUT=SECS bounds each VM (default 240): a hung VM fails.
VMS := arm armel arm64 mipsel
.PHONY: vm $(addprefix vm-,$(VMS))

$(addprefix vm-,$(VMS)): vm-%: %
	@sh test/vm/vm.sh $*

vm:
	@st=0; for v in $(VMS); do $(MAKE) --no-print-directory vm-$$v || st=1; done; exit $$st
