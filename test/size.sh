#!/bin/sh
# test/size.sh BUDGET TARGET...: print each target's bytes; fail when ARMv7's exceed BUDGET.
budget=$1
shift
rc=0
printf '%-8s %8s %8s %8s %8s\n' target file text data bss
for t in "$@"; do
	f=build/$t/udsbox
	[ -f "$f" ] || { printf '%-8s %8s\n' "$t" "(not built)"; continue; }
	set -- $(size "build/$t/udsbox.full" 2>/dev/null | awk 'NR == 2 {print $1, $2, $3}')
	printf '%-8s %8s %8s %8s %8s\n' "$t" "$(stat -c %s "$f")" "${1:-?}" "${2:-?}" "${3:-?}"
done
if [ -f build/arm/udsbox ]; then
	n=$(stat -c %s build/arm/udsbox)
	if [ "$n" -gt "$budget" ]; then
		echo "size: FAIL: ARMv7 binary is $n bytes, over the budget of $budget"
		rc=1
	else
		echo "size: ok: ARMv7 binary is $n bytes, $((budget - n)) under the budget of $budget"
	fi
fi
exit $rc
