#!/bin/sh
# SPDX-License-Identifier: ISC
# test/vm/vm.sh VM: boot Debian's own kernel for VM (arm, armel, arm64, mipsel)
# under qemu-system with an initramfs of busybox-static, build/TARGET/udsbox
# and the project's recipes, busybox init as PID 1; the checks run inside
# (test/vm/checks) and report on the console, shutdown goes through init
# (test/vm/rcK lists /run). Prints the boot-to-ready time, the checks and
# "vm-VM: N passed, N failed"; writes "N N 0" to build/vm/VM/counts.
# VM_TIMEOUT (seconds, default 240) bounds the whole run: a hung VM fails.
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
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$dir/initrd.gz" || fail "cpio"

log=$dir/console.log
echo "== vm-$vm: $(cat "$dir/packages")"
start=$(date +%s.%N)
# shellcheck disable=SC2086
timeout "${VM_TIMEOUT:-240}" $qemu -smp "${VM_SMP:-1}" -m 256 -nic none -nographic -no-reboot \
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
[ $rc -eq 124 ] && { echo "vm-$vm: FAILED: timed out after ${VM_TIMEOUT:-240} s"; f=$((f + 1)); }
[ "$f" -gt 0 ] && { echo "--- console (last 30 lines)"; tail -n 30 "$log.txt"; }
echo "$p $f 0" >"$counts"
echo "vm-$vm: $p passed, $f failed"
[ "$f" -eq 0 ]
