#!/bin/sh
# SPDX-License-Identifier: ISC
# test/size.sh BUDGET SHORT-BUDGET TARGET...: print each target's bytes; fail
# when ARMv7's exceed BUDGET (build/arm), or SHORT-BUDGET for a `make
# HELP=short` build (build/arm-short). A TARGET is a directory of build/.
budget=$1 short=$2
shift 2
targets=$*
rc=0
printf '%-12s %8s %8s %8s %8s\n' target file text data bss
for t in "$@"; do
	f=build/$t/udsbox
	[ -f "$f" ] || { printf '%-12s %8s\n' "$t" "(not built)"; continue; }
	set -- $(size "build/$t/udsbox.full" 2>/dev/null | awk 'NR == 2 {print $1, $2, $3}')
	printf '%-12s %8s %8s %8s %8s\n' "$t" "$(stat -c %s "$f")" "${1:-?}" "${2:-?}" "${3:-?}"
done
# the budget is ARMv7's: build/arm, or build/arm-short (make HELP=short)
for t in $targets; do
	case $t in arm | arm-short) ;; *) continue ;; esac
	[ -f "build/$t/udsbox" ] || continue
	n=$(stat -c %s "build/$t/udsbox")
	[ "$t" = arm-short ] && budget=$short
	if [ "$n" -gt "$budget" ]; then
		echo "size: FAIL: ARMv7 binary ($t) is $n bytes, over the budget of $budget"
		rc=1
	else
		echo "size: ok: ARMv7 binary ($t) is $n bytes, $((budget - n)) under the budget of $budget"
	fi
done
exit $rc
