# SPDX-License-Identifier: ISC
# toolchain/rules-dist.mk: make dist, the release tarball
#   make dist   build/udsbox-VERSION.tar.gz and its .sha256 (toolchain/dist)
.PHONY: dist
dist:
	@toolchain/dist
