#!/bin/sh
# SPDX-License-Identifier: ISC
# test/pkg/contrib.sh: the recipes of contrib/ for Buildroot, OpenWrt, Alpine
# and Yocto, each run as far as this machine allows (README "Packaging"), and
# contrib/update. Ends with "contrib: N passed, N failed, N skipped".
set -u
unset WERROR
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "contrib: ok: $*"; }
bad() { fail=$((fail + 1)); echo "contrib: FAIL: $*"; }
skipped() { skip=$((skip + 1)); echo "contrib: skipped: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-contrib.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
v=$(cat VERSION)
PY=/usr/bin/python3   # Debian's, which has python3-magic (Buildroot's check-package)

# src DIR: the release tarball unpacked into DIR (a package's source tree)
src() {
	mkdir -p "$1" && tar xzf "build/udsbox-$v.tar.gz" -C "$1" --strip-components=1
}
# answers RUNNER BIN: BIN (run as its applets by RUNNER, empty for native) serves
answers() {
	_a=@udsbox-contrib.$$.$(date +%N)
	if [ -n "$1" ]; then
		$1 -0 uds-serve "$2" "$_a" 2>/dev/null &
		_p=$!
		_o=$(echo hi | $1 -0 uds-connect "$2" -w 10 "$_a" 2>&1)
	else
		"$(dirname "$2")/uds-serve" "$_a" 2>/dev/null &
		_p=$!
		_o=$(echo hi | "$(dirname "$2")/uds-connect" -w 10 "$_a" 2>&1)
	fi
	kill "$_p" 2>/dev/null; wait "$_p" 2>/dev/null
	[ "$_o" = HI ]
}
toolchain/dist >/dev/null || { bad "make dist"; exit 1; }

# --- versions and the LICENSE's checksums agree with the tree
lsha=$(sha256sum LICENSE | cut -d' ' -f1) lmd5=$(md5sum LICENSE | cut -d' ' -f1)
grep -q "^UDSBOX_VERSION = $v\$" contrib/buildroot/udsbox/udsbox.mk \
	&& grep -q "^sha256  $lsha  LICENSE\$" contrib/buildroot/udsbox/udsbox.hash \
	&& grep -q "^PKG_VERSION:=$v\$" contrib/openwrt/udsbox/Makefile \
	&& grep -q "^pkgver=$v\$" contrib/alpine/APKBUILD \
	&& [ -f "contrib/yocto/udsbox_$v.bb" ] && grep -q "file://LICENSE;md5=$lmd5\"" "contrib/yocto/udsbox_$v.bb" \
	&& grep -q "^udsbox ($v-" contrib/debian/changelog \
	&& ok "every recipe is at $v, with LICENSE's own checksums" \
	|| bad "a recipe's version or LICENSE checksum differs from the tree (run contrib/update $v)"

# --- contrib/update, in a copy: every checksum it writes is the tarball's
c=$tmp/update
mkdir -p "$c" && git ls-files | grep -v '^contrib/yocto/' | cpio -pdm --quiet "$c" 2>/dev/null
cp contrib/yocto/*.bb "$c/contrib/yocto/" 2>/dev/null || { mkdir -p "$c/contrib/yocto"; cp contrib/yocto/*.bb "$c/contrib/yocto/"; }
if (cd "$c" && sh contrib/update 9.8.7 >/dev/null 2>&1); then
	t=$c/build/udsbox-9.8.7.tar.gz
	s2=$(sha256sum "$t" | cut -d' ' -f1) s5=$(sha512sum "$t" | cut -d' ' -f1)
	grep -q "^sha256  $s2  udsbox-9.8.7.tar.gz" "$c/contrib/buildroot/udsbox/udsbox.hash" \
		&& grep -q "^PKG_HASH:=$s2\$" "$c/contrib/openwrt/udsbox/Makefile" \
		&& grep -q "^$s5  udsbox-9.8.7.tar.gz\$" "$c/contrib/alpine/APKBUILD" \
		&& grep -q "sha256sum\] = \"$s2\"" "$c/contrib/yocto/udsbox_9.8.7.bb" \
		&& [ "$(cat "$c/VERSION")" = 9.8.7 ] \
		&& ok "contrib/update 9.8.7 (in a copy) writes the version and the tarball's checksums into all four recipes" \
		|| bad "contrib/update wrote a checksum that is not the tarball's"
else
	bad "contrib/update failed"
fi

# --- Buildroot
if [ -n "${BUILDROOT_DIR:-}" ] && [ -x "$BUILDROOT_DIR/utils/check-package" ]; then
	r=$(cd contrib/buildroot && $PY "$BUILDROOT_DIR/utils/check-package" -b udsbox/* 2>&1)
	printf '%s\n' "$r" | grep -q '^0 warnings generated' && ok "Buildroot check-package: $(printf '%s' "$r" | tr '\n' ' ')" \
		|| bad "Buildroot check-package: $r"
else
	skipped "Buildroot's check-package: no Buildroot tree (set BUILDROOT_DIR; its code is not ours to commit)"
fi
for st in y ""; do
	s=$tmp/br$st d=$tmp/br$st-target
	src "$s"
	if make --no-print-directory -f test/pkg/stub/buildroot.mk PKGMK=contrib/buildroot/udsbox/udsbox.mk \
		SRC="$s" TARGET_DIR="$d" CROSS=arm-linux-musleabihf- BR2_STATIC_LIBS=$st >"$tmp/br.log" 2>&1 \
		&& [ "$(readlink "$d/usr/bin/uds-serve")" = udsbox ] && answers qemu-arm "$d/usr/bin/udsbox"; then
		ok "Buildroot udsbox.mk (BR2_STATIC_LIBS=${st:-n}) builds and installs an ARMv7 binary that serves under qemu-arm ($(file -b "$d/usr/bin/udsbox" | cut -d, -f1,5 | tr -s ' '))"
	elif [ -z "$st" ] && ! [ -e /usr/arm-linux-gnueabihf/lib/ld-musl-armhf.so.1 ] && ! [ -e /lib/ld-musl-armhf.so.1 ]; then
		skipped "Buildroot udsbox.mk dynamic: no armhf musl loader to run it"
	else
		bad "Buildroot udsbox.mk (BR2_STATIC_LIBS=${st:-n}): $(tail -n 2 "$tmp/br.log" | tr '\n' ' ')"
	fi
done

# --- OpenWrt
shellcheck -s sh contrib/openwrt/udsbox/files/udsbox.init && ok "shellcheck contrib/openwrt/udsbox/files/udsbox.init" \
	|| bad "shellcheck of the procd script"
mc=build/toolchain/mips/bin/mips-linux-musl-gcc
if [ -x "$mc" ]; then
	s=$tmp/owrt i=$tmp/owrt-ipkg
	src "$s"
	if make --no-print-directory -C contrib/openwrt/udsbox -f "$top/test/pkg/stub/openwrt.mk" \
		PKGMK=Makefile PKG_BUILD_DIR="$s" IPKG="$i" CROSS="$top/build/toolchain/mips/bin/mips-linux-musl-" >"$tmp/owrt.log" 2>&1 \
		&& file -b "$i/usr/bin/udsbox" | grep -q 'MSB.*MIPS' && [ "$(readlink "$i/usr/bin/uds-connect")" = udsbox ] \
		&& [ -x "$i/etc/init.d/udsbox" ]; then
		if answers qemu-mips "$i/usr/bin/udsbox"; then
			ok "OpenWrt Build/Compile + Package/udsbox/install with the big-endian MIPS musl toolchain: a static MIPS binary that serves under qemu-mips"
		else
			bad "OpenWrt: the MIPS binary does not serve"
		fi
	else
		bad "OpenWrt Build/Compile: $(tail -n 2 "$tmp/owrt.log" | tr '\n' ' ')"
	fi
else
	skipped "OpenWrt Build/Compile: no big-endian MIPS toolchain yet (make mips builds it)"
fi

# --- Alpine: shellcheck (SC2034: abuild reads the variables; SC2154: it sets
# srcdir and pkgdir), then build, check and package in scratch directories,
# with musl-gcc for Alpine's musl gcc
shellcheck -s sh -e SC2034,SC2154 contrib/alpine/APKBUILD && ok "shellcheck contrib/alpine/APKBUILD" || bad "shellcheck APKBUILD"
srcdir=$tmp/apk-src pkgdir=$tmp/apk-pkg
src "$srcdir/udsbox-$v"
if (cd "$srcdir/udsbox-$v" && . "$top/contrib/alpine/APKBUILD" && CC=musl-gcc && build && check && package) >"$tmp/apk.log" 2>&1 \
	&& [ -x "$pkgdir/usr/bin/udsbox" ] && [ -s "$pkgdir/usr/share/man/man1/uds-serve.1" ] && [ -x "$pkgdir/etc/init.d/greeter" ] \
	&& answers "" "$pkgdir/usr/bin/udsbox"; then
	ok "Alpine APKBUILD: build, check and package give /usr/bin, the man pages (-doc) and /etc/init.d (-openrc)"
else
	bad "Alpine APKBUILD: $(tail -n 2 "$tmp/apk.log" | tr '\n' ' ')"
fi

# --- Yocto: do_compile and do_install as oe_runmake runs them (make -e
# EXTRA_OEMAKE), with the recipe's variables for an ARMv7 machine
y=contrib/yocto/udsbox_$v.bb
s=$tmp/yocto D=$tmp/yocto-image
src "$s"
eo=$(sed -n '/^EXTRA_OEMAKE = "/,/[^\\]"$/p' "$y" | sed 's/^EXTRA_OEMAKE = "//; s/"$//; s/\\$//' | tr '\n' ' ')
CC="arm-linux-musleabihf-gcc -march=armv7-a+fp -mthumb" CFLAGS="-O2 -pipe -g" LDFLAGS="-Wl,-O1" \
	prefix=/usr bindir=/usr/bin mandir=/usr/share/man
eo=$(CC=$CC CFLAGS=$CFLAGS LDFLAGS=$LDFLAGS prefix=$prefix bindir=$bindir mandir=$mandir \
	sh -c "eval \"set -- $(echo "$eo" | sed 's/\${\([a-zA-Z_]*\)}/$\1/g')\"; printf '%s\n' \"\$@\"")
if (cd "$s" && printf '%s\n' "$eo" >../yocto.args && printf '%s\n' "$eo" | tr '\n' '\0' | xargs -0 make -e && printf '%s\n' "$eo" | tr '\n' '\0' | xargs -0 make -e install DESTDIR="$D") >"$tmp/yocto.log" 2>&1 \
	&& file -b "$D/usr/bin/udsbox" | grep -q 'not stripped' && answers qemu-arm "$D/usr/bin/udsbox"; then
	ok "Yocto recipe: do_compile and do_install with EXTRA_OEMAKE give an unstripped ARMv7 binary (no INSANE_SKIP for already-stripped)"
elif grep -q 'ld-musl' "$tmp/yocto.log"; then
	bad "Yocto: $(tail -n 2 "$tmp/yocto.log" | tr '\n' ' ')"
else
	bad "Yocto do_compile/do_install: $(tail -n 2 "$tmp/yocto.log" | tr '\n' ' ')"
fi

echo "contrib: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
