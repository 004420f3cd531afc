#!/bin/sh
# SPDX-License-Identifier: ISC
# test/check.sh TARGET...: what `make check` runs. Builds every target, runs the
# static checks and every suite on every target (a failure does not stop the
# rest), then prints one line: N passed, N failed.
set -u
pass=0 fail=0 skip=0
result() {   # result NAME STATUS
	if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "check: FAILED: $1"; fi
}
# tally FILE NAME: add the "passed failed skipped" of FILE to the totals, or
# count NAME as failed when it has none (its run died before it could count)
tally() {
	if [ -s "$1" ]; then
		read -r p f s <"$1"
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		result "$2" 1
	fi
}
runner() {
	sed -n 's/^RUNNER := *//p' "toolchain/$1.mk"
}

built=
for t in "$@"; do
	if [ "$t" = host ]; then make --no-print-directory all >/dev/null; else make --no-print-directory "$t" >/dev/null; fi
	st=$?
	result "build $t" $st
	[ $st -eq 0 ] && built="$built $t"
done
sh test/nomalloc.sh $built
result "no allocator or stdio" $?
sh test/size.sh "${SIZE_BUDGET:?}" "${SHORT_BUDGET:?}" $built
result "size budget" $?
# make HELP=short, for images that count every byte: the ARMv7 build (in
# build/arm-short) against its own budget; its smoke suite runs below
case " $built " in *" arm "*)
	make --no-print-directory arm HELP=short >/dev/null && sh test/size.sh "$SIZE_BUDGET" "$SHORT_BUDGET" arm-short
	result "HELP=short: ARMv7 build within the size budget" $?
esac
make --no-print-directory manlint
result "man pages lint clean" $?
make --no-print-directory lint
result "cppcheck and clang-tidy clean" $?
sh test/install.sh
result "make install" $?
sh contrib/spdx --check
result "SPDX licence line in every source file" $?

# the packagers' contract (README "Packaging"): builds driven as the build
# systems drive them, the release tarball, the recipes of contrib/ and the
# Debian package; each adds its own "N passed, N failed[, N skipped]"
mkdir -p build/host/test-results
for p in build dist contrib debian; do
	echo "== packaging: $p"
	sh "test/pkg/$p.sh" >"build/host/test-results/pkg-$p.log" 2>&1
	st=$?
	grep -E ': (ok|FAIL|skipped)' "build/host/test-results/pkg-$p.log" | tail -n 30
	set -- $(tail -n 1 "build/host/test-results/pkg-$p.log" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed\(, \([0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p')
	if [ $# -ge 2 ]; then
		pass=$((pass + $1)) fail=$((fail + $2)) skip=$((skip + ${3:-0}))
		[ "$st" -ne 0 ] && [ "$2" -eq 0 ] && result "packaging: $p" 1
	else
		result "packaging: $p" 1
	fi
done

for t in $built; do
	RUNNER=$(runner "$t") sh test/run.sh "$t"
	tally "build/$t/test-results/total" "suites on $t"
done
# the HELP=short ARMv7 build: its own smoke suite (the suites above are for the
# default build, whose --help test/help.test holds to every option)
case " $built " in *" arm "*)
	rm -f build/arm-short/test-results/total
	[ -x build/arm-short/udsbox ] && RUNNER=$(runner arm) SUITES=test/short/smoke.test sh test/run.sh arm-short
	tally build/arm-short/test-results/total "HELP=short smoke suite"
esac
# the minimal images under binfmt_misc: ARMv7 (busybox rootfs, rcS script),
# big-endian MIPS (no busybox for it: udsbox and test/image/rcrun alone)
for t in arm mips; do
	case " $built " in *" $t "*) ;; *) continue ;; esac
	echo "== $t: minimal image"
	COUNTS=build/$t/test-results/image.counts UDSBOX=$(pwd)/build/$t/udsbox IMAGE=$t \
		SHUNIT2=${SHUNIT2:-/usr/share/shunit2/shunit2} sh test/image/image.test
	if [ -s build/$t/test-results/image.counts ]; then
		read -r p f s <build/$t/test-results/image.counts
		pass=$((pass + p - s)) fail=$((fail + f)) skip=$((skip + s))
	else
		result "image test $t" 1
	fi
done

# the real kernels: Debian's kernel under qemu-system, busybox init as PID 1
# (test/vm/vm.sh); each VM adds its checks to the totals
for t in arm armel arm64 mipsel; do
	case " $built " in *" $t "*) ;; *) continue ;; esac
	sh test/vm/vm.sh "$t"
	tally "build/vm/$t/counts" "vm $t"
done

# every libFuzzer target (test/fuzz/fuzz_*.c), built with clang: replays its
# committed corpus, then fuzzes for FUZZ_SECONDS (default 4); a harness that no
# longer builds, or any crash or check failure, is a failure
echo "== host: fuzz"
make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-4}" >build/host/test-results/fuzz.log 2>&1
st=$?
grep -E '^[a-z]+ +[0-9]+ runs|^    |^fuzz:' build/host/test-results/fuzz.log | tail -n 40
set -- $(sed -n 's/^fuzz: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' build/host/test-results/fuzz.log)
if [ $# -eq 2 ]; then
	pass=$((pass + $1)) fail=$((fail + $2))
	[ "$st" -ne 0 ] && [ "$2" -eq 0 ] && result "fuzz" 1
else
	grep -E 'error|Error' build/host/test-results/fuzz.log | head -n 15
	result "fuzz: the targets build" 1
fi

# the host binary's error paths under syscall fault injection, and the chaos
# soak (20 s): each adds its own "N passed, N failed" to the totals
case " $built " in *" host "*)
	for h in "faults:sh test/faults/faults.sh" "soak:sh test/soak/soak.sh"; do
		name=${h%%:*}
		echo "== host: $name"
		UDSBOX=$(pwd)/build/host/udsbox SOAK_SECONDS=${SOAK_SECONDS:-20} SOAK_TOOLS=build/tools RUNNER= \
			sh -c "${h#*:}" >"build/host/test-results/$name.log" 2>&1
		st=$?
		tail -n 40 "build/host/test-results/$name.log"
		set -- $(tail -n 1 "build/host/test-results/$name.log" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
		if [ $# -eq 2 ]; then
			pass=$((pass + $1)) fail=$((fail + $2))
			[ "$st" -ne 0 ] && [ "$2" -eq 0 ] && result "$name" 1
		else
			result "$name" 1
		fi
	done
esac

echo
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
