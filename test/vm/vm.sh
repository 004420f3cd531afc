#!/bin/sh
# SPDX-License-Identifier: ISC
# test/vm/vm.sh VM: boot Debian's own kernel for VM (arm, armel, arm64, mipsel)
# under qemu-system with an initramfs of busybox-static, build/TARGET/udsbox
# and the project's recipes, busybox init as PID 1; the checks run inside
# (test/vm/checks) and report on the console, shutdown goes through init
# (test/vm/rcK lists /run). Prints the boot-to-ready time, the checks and
# "vm-VM: N passed, N failed, N skipped"; writes "N N N" to build/vm/VM/counts.
# Then the shunit2 suites of VM_SUITES (default: serve connect exec audit
# upgrade endian; empty for none) run inside (test/vm/suites), under busybox
# sh with shunit2 and test/lib.sh, with test/vm/tools and the test/tools
# programs built for the target; each suite's output is kept in
# build/vm/VM/NAME.log and its tally goes into the VM's.
# VM_TIMEOUT (seconds, default 900) bounds the whole run: a hung VM fails.
# VM_SMP (default 1): -smp 2 measured no faster here (arm: 15.7 s against 15.9 s).
set -u
vm=${1:?usage: test/vm/vm.sh arm|armel|arm64|mipsel}
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/test/vm
dir=$top/build/vm/$vm
case $vm in
arm | armel) qemu="qemu-system-arm -M virt -cpu cortex-a15" console=ttyAMA0 ;;
arm64) qemu="qemu-system-aarch64 -M virt -cpu cortex-a53" console=ttyAMA0 ;;
mipsel) qemu="qemu-system-mipsel -M malta -vga none" console=ttyS0 ;;
*) echo "test/vm/vm.sh: no VM for $vm" >&2; exit 100 ;;
esac
counts=$dir/counts
rm -f "$counts"
fail() { echo "vm-$vm: FAILED: $*"; echo "0 1 0" >"$counts"; exit 1; }
"$top/toolchain/vm-fetch" "$vm" || fail "no kernel or busybox (toolchain/vm-fetch $vm)"
bin=${UDSBOX:-$top/build/$vm/udsbox}
[ -x "$bin" ] || fail "no $bin (make $vm)"
suites=${VM_SUITES-serve connect exec audit upgrade endian}
shunit2=${SHUNIT2:-/usr/share/shunit2/shunit2}
[ -z "$suites" ] || [ -r "$shunit2" ] || fail "no shunit2 at $shunit2 (toolchain/setup)"

# the suites' helper programs, built for the target with its own compiler
# (static musl): test/vm/tools (setpriv, argv0) and test/tools (sigdfl, udsload...)
tools=$dir/tools
if [ -n "$suites" ]; then
	mk=$top/toolchain/$vm.mk
	tcc=$(sed -n 's/^TCC := *//p' "$mk")
	tflags=$(sed -n 's/^TARGET_CFLAGS := *//p' "$mk")
	mkdir -p "$tools" || fail "mkdir $tools"
	for c in "$here"/tools/*.c "$top"/test/tools/*.c; do
		t=$tools/$(basename "$c" .c)
		[ -x "$t" ] && [ ! "$c" -nt "$t" ] && [ ! "$top/test/tools/tool.h" -nt "$t" ] && continue
		# shellcheck disable=SC2086
		$tcc $tflags -static -O2 -Wall -Wextra -o "$t" "$c" || fail "cannot build $(basename "$c") with $tcc"
	done
fi

# the initramfs: busybox (its links are made by rcS), udsbox and its links,
# the greeter recipe as installed on a board, init's files and two users
root=$dir/root
rm -rf "$root" && mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/libexec "$root"/etc/init.d \
	"$root"/proc "$root"/sys "$root"/dev "$root"/run "$root"/tmp "$root"/var/log || fail "mkdir $root"
cp "$dir/busybox" "$root/bin/busybox" && ln -s busybox "$root/bin/sh" && ln -s ../bin/busybox "$root/sbin/init" &&
	cp "$bin" "$root/usr/bin/udsbox" && ln -s udsbox "$root/usr/bin/uds-serve" && ln -s udsbox "$root/usr/bin/uds-connect" &&
	cp "$top/recipes/greeter" "$root/usr/libexec/greeter" && cp "$top/recipes/init.d/greeter" "$root/etc/init.d/greeter" &&
	cp "$here/rcS" "$here/rcK" "$root/etc/init.d/" && cp "$here/checks" "$root/etc/vmchecks" &&
	cp "$here/inittab" "$root/etc/inittab" || fail "populating $root"
chmod 0755 "$root"/usr/libexec/greeter "$root"/etc/init.d/* "$root/etc/vmchecks"
# the suites: /src/test as in the tree (lib.sh finds test/tools from there),
# the target's tools in /src/build/tools, newer than their sources (so that
# test/tools/build.sh, which some suites call, has nothing to build), setpriv
# and argv0 first in PATH
if [ -n "$suites" ]; then
	mkdir -p "$root/src/test/tools" "$root/src/build/tools" "$root/usr/local/bin" "$root/usr/share/shunit2" "$root/root" &&
		cp -p "$top/test/lib.sh" "$root/src/test/" && cp -p "$top"/test/tools/* "$root/src/test/tools/" &&
		cp "$shunit2" "$root/usr/share/shunit2/shunit2" && cp "$here/suites" "$root/etc/vmsuites.sh" || fail "populating $root/src"
	for n in $suites; do cp -p "$top/test/$n.test" "$root/src/test/" || fail "no suite test/$n.test"; done
	for c in "$top"/test/tools/*.c; do cp "$tools/$(basename "$c" .c)" "$root/src/build/tools/" || fail "copying the tools"; done
	touch "$root"/src/build/tools/*
	for c in "$here"/tools/*.c; do cp "$tools/$(basename "$c" .c)" "$root/usr/local/bin/" || fail "copying the tools"; done
	echo "$suites" >"$root/etc/vmsuites"
	chmod 0755 "$root/etc/vmsuites.sh"
fi
# the users and groups of Debian's base-passwd that the suites name
printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ndaemon:x:1:\nusers:x:100:\nnogroup:x:65534:\n' >"$root/etc/group"
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$dir/initrd.gz" || fail "cpio"

log=$dir/console.log
echo "== vm-$vm: $(cat "$dir/packages")"
start=$(date +%s.%N)
# shellcheck disable=SC2086
timeout "${VM_TIMEOUT:-900}" $qemu -smp "${VM_SMP:-1}" -m 256 -nic none -nographic -no-reboot \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.gz" \
	-append "console=$console rdinit=/sbin/init panic=-1 loglevel=3" </dev/null >"$log" 2>&1
rc=$?
end=$(date +%s.%N)
tr -d '\r' <"$log" >"$log.txt"
ready=$(grep -m1 '^VMREADY' "$log.txt" | cut -d' ' -f2)
echo "vm-$vm: qemu exited $rc after $(awk "BEGIN { printf \"%.1f\", $end - $start }") s; ready at kernel uptime ${ready:-never} s"
grep -E '^(VM|VMRUN|VMCHECK)[: ]' "$log.txt" | grep -v '^VMREADY'
p=$(grep -c '^VMCHECK ok ' "$log.txt")
f=$(grep -c '^VMCHECK FAIL ' "$log.txt")
# every check must have reported: a missing marker is a failure
for c in ready greeter guard-root guard-refuses-nobody exec upgrade shutdown; do
	grep -Eq "^VMCHECK (ok|FAIL) $c(:|\$)" "$log.txt" || { echo "vm-$vm: FAILED: no result for $c"; f=$((f + 1)); }
done
[ "$f" -gt 0 ] && { echo "--- console (last 30 lines)"; tail -n 30 "$log.txt"; }

# the suites: each one's console lines into NAME.log, its tally into the
# VM's (passed less skipped, as test/run.sh counts), its failures shown
s=0
for n in $suites; do
	sed -n "/^VMSUITE begin $n\$/,/^VMSUITE end $n /p" "$log.txt" >"$dir/$n.log"
	# shellcheck disable=SC2046
	set -- $(sed -n "s/^VMSUITE end $n //p" "$dir/$n.log")
	if [ $# -lt 5 ] || [ "$1" = - ]; then
		echo "vm-$vm: FAILED: suite $n did not finish (its console lines: build/vm/$vm/$n.log)"
		tail -n 15 "$dir/$n.log"
		f=$((f + 1))
		continue
	fi
	sp=$(($1 - $3)) sf=$2 ss=$3
	[ "$4" -ne 0 ] && [ "$sf" -eq 0 ] && sf=1
	echo "vm-$vm: suite $n: $sp passed, $sf failed, $ss skipped in $5 s"
	[ "$sf" -gt 0 ] && grep -E '^(test[A-Za-z0-9_]*$|ASSERT:)' "$dir/$n.log" | grep -B1 '^ASSERT:' | grep -v '^--$' | head -n 40
	p=$((p + sp)) f=$((f + sf)) s=$((s + ss))
done
# why the skipped ones were: each reason once, with its count
[ "$s" -gt 0 ] && for n in $suites; do cat "$dir/$n.log"; done | sed -n 's/^  skipped: //p' | sort | uniq -c |
	sort -rn | sed "s/^ *\([0-9]*\) /vm-$vm: skipped \1: /"
[ $rc -eq 124 ] && { echo "vm-$vm: FAILED: timed out after ${VM_TIMEOUT:-900} s"; f=$((f + 1)); }
echo "$p $f $s" >"$counts"
echo "vm-$vm: $p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
