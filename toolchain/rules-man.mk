# SPDX-License-Identifier: ISC
# rules-man.mk: the manual pages (man/*.1, mdoc), included by the top Makefile.
#
# make manlint   lint every page with mandoc; fails on any message or a
#                non-zero status (mandoc itself missing included).
MANLINT_MANDOC := mandoc

.PHONY: manlint

manlint:
	@out=$$($(MANLINT_MANDOC) -Tlint -W warning man/*.1 2>&1); st=$$?; \
	if [ $$st -ne 0 ] || [ -n "$$out" ]; then \
		printf '%s\n' "$$out" >&2; \
		echo "manlint: FAILED (mandoc status $$st)" >&2; \
		exit 1; \
	fi; \
	echo "manlint: ok"
