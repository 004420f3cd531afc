#!/bin/sh
# SPDX-License-Identifier: ISC
# test/pkg/build.sh: the Makefile's contract with packagers (README
# "Packaging"), driven the way build systems drive it. Each build goes to its
# own build/pkg-* directory and must give a binary that serves; ends with
# "build: N passed, N failed".
set -u
unset WERROR   # a packager's build: warnings are not errors (one case below asks)
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "build: ok: $*"; }
bad() { fail=$((fail + 1)); echo "build: FAIL: $*"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/udsbox-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# serves DIR [RUNNER]: DIR/udsbox answers hi with HI through its applet names
serves() {
	_d=$1 _r=${2:-}
	_a=@udsbox-pkg.$$.$(basename "$_d")
	if [ -n "$_r" ]; then
		$_r -0 uds-serve "$_d/udsbox" "$_a" 2>/dev/null &
	else
		"$_d/uds-serve" "$_a" 2>/dev/null &
	fi
	_p=$!
	if [ -n "$_r" ]; then
		_o=$(echo hi | $_r -0 uds-connect "$_d/udsbox" -w 10 "$_a" 2>&1)
	else
		_o=$(echo hi | "$_d/uds-connect" -w 10 "$_a" 2>&1)
	fi
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	[ "$_o" = HI ]
}

# try NAME CHECK MAKE-ARGS...: make MAKE-ARGS into build/pkg-NAME, then CHECK
try() {
	_n=$1 _check=$2
	shift 2
	rm -rf "build/pkg-$_n"
	if ! make --no-print-directory BUILDDIR="build/pkg-$_n" "$@" >"$tmp/$_n.log" 2>&1; then
		bad "make $* (exit $?): $(tail -n 1 "$tmp/$_n.log")"
		return
	fi
	if [ ! -x "build/pkg-$_n/udsbox" ] || [ "$(readlink "build/pkg-$_n/uds-serve")" != udsbox ]; then
		bad "make $*: no binary or no applet links"
		return
	fi
	if ! serves "build/pkg-$_n" $( [ "$_check" = arm ] && echo qemu-arm ); then
		bad "make $*: the binary does not serve"
		return
	fi
	case $_check in
	static) file -L "build/pkg-$_n/udsbox" | grep -q 'statically linked' || { bad "make $*: not static"; return; } ;;
	dynamic) file -L "build/pkg-$_n/udsbox" | grep -q 'dynamically linked' || { bad "make $*: not dynamic"; return; } ;;
	arm) file -L "build/pkg-$_n/udsbox" | grep -q 'ARM' || { bad "make $*: not an ARM binary"; return; } ;;
	unstripped) file -L "build/pkg-$_n/udsbox" | grep -q 'not stripped' || { bad "make $*: stripped"; return; } ;;
	esac
	ok "make $* ($_check, $(stat -c %s "build/pkg-$_n/udsbox") bytes)"
}

try musl static
try clang static CC=clang
try glibc-dynamic dynamic CC=gcc STATIC=0
try cross arm CROSS_COMPILE=arm-linux-musleabihf-
try nostrip unstripped STRIP=:
try verbose static V=1
if grep -q -- '-Os' "$tmp/verbose.log"; then ok "V=1 shows the full command lines"; else bad "V=1 shows no command line"; fi
try werror static WERROR=1
try maxconn static CPPFLAGS=-DUB_MAXCONN=2000
if make --no-print-directory BUILDDIR=build/pkg-badcap CPPFLAGS=-DUB_MAXCONN=100000 >"$tmp/badcap.log" 2>&1; then
	bad "CPPFLAGS=-DUB_MAXCONN=100000 built"
elif grep -q 'UB_MAXCONN must be' "$tmp/badcap.log"; then
	ok "a bad capacity fails the build: $(grep -m1 -o 'UB_MAXCONN must be[^"]*' "$tmp/badcap.log")"
else
	bad "a bad capacity failed without saying why"
fi

# install unstripped into a DESTDIR with the packagers' variables
d=$tmp/dest
if make --no-print-directory BUILDDIR=build/pkg-nostrip STRIP=: DESTDIR="$d" PREFIX=/usr \
	MANDIR=/usr/share/man install >"$tmp/install.log" 2>&1 \
	&& file -L "$d/usr/bin/udsbox" | grep -q 'not stripped' \
	&& [ "$(readlink "$d/usr/bin/uds-serve")" = udsbox ] && [ -s "$d/usr/share/man/man1/uds-serve.1" ]; then
	ok "make install STRIP=: DESTDIR PREFIX=/usr MANDIR: unstripped binary, links, man pages"
else
	bad "make install STRIP=: DESTDIR=...: $(tail -n 1 "$tmp/install.log")"
fi
d2=$tmp/dest2
if make --no-print-directory BUILDDIR=build/pkg-musl DESTDIR="$d2" BINDIR=/sbin install >/dev/null 2>&1 \
	&& [ -x "$d2/sbin/udsbox" ] && [ -s "$d2/usr/local/share/man/man1/udsbox.1" ]; then
	ok "make install BINDIR=/sbin (man pages under the default PREFIX /usr/local)"
else
	bad "make install BINDIR=/sbin"
fi

# plain make never installs anything: toolchain/setup is not run even when it
# would fail, and a missing compiler is one line naming the package
if make --no-print-directory BUILDDIR=build/pkg-nosetup SETUP=false >/dev/null 2>&1 \
	&& make -n --no-print-directory all install test DESTDIR="$tmp/n" 2>/dev/null | grep -q 'toolchain/setup'; then
	bad "plain make, make install or make test runs toolchain/setup"
else
	ok "plain make, make install and make test do not run toolchain/setup"
fi
mk=$(command -v make)
msg=$(PATH=$tmp/empty "$mk" --no-print-directory BUILDDIR=build/pkg-nocc 2>&1)
# (make's own "Error 2" line from the recursion follows it)
if [ "$(printf '%s\n' "$msg" | grep -c 'not found')" -eq 1 ] && printf '%s' "$msg" | grep -q 'musl-gcc not found: install musl-tools, or run make setup'; then
	ok "no compiler: $(printf '%s\n' "$msg" | grep 'not found')"
else
	bad "no compiler: $msg"
fi
# as a normal user, in a copy of the tree of their own
if command -v setpriv >/dev/null; then
	u=$tmp/user
	mkdir -p "$u" && git ls-files -z 2>/dev/null | xargs -0 cp --parents -t "$u" 2>/dev/null || cp -r core applets toolchain Makefile VERSION "$u"
	chown -R 65534:65534 "$u"
	if (cd "$u" && setpriv --reuid 65534 --regid 65534 --clear-groups env HOME="$u" "$mk" --no-print-directory >/dev/null 2>&1) \
		&& serves "$u/build/host"; then
		ok "make as a normal user (uid 65534) builds and installs nothing"
	else
		bad "make as a normal user"
	fi
fi
rm -rf build/pkg-*
echo "build: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
