# SPDX-License-Identifier: ISC
SUMMARY = "UNIX domain socket server and client for small systems"
DESCRIPTION = "One small multi-call binary for UNIX domain socket IPC: \
uds-serve serves a socket, uds-connect relays, probes or waits for one."
HOMEPAGE = "https://example.org/udsbox"
SECTION = "net"
LICENSE = "ISC"
LIC_FILES_CHKSUM = "file://LICENSE;md5=5e051288b8c3cbd06260ffbb347c753a"

SRC_URI = "https://example.org/udsbox/releases/udsbox-${PV}.tar.gz"
SRC_URI[sha256sum] = "0b8c0ee3c11e9d43cf0ca7c09f73e13848db0a9562093e69ddba3a5171147c3d"

# the build's own variables: the cross compiler and flags as the recipe has
# them, linked like the rest of the image, unstripped (do_package strips and
# splits the debug info)
EXTRA_OEMAKE = "CC='${CC}' CFLAGS='${CFLAGS}' LDFLAGS='${LDFLAGS}' \
    STATIC=0 STRIP=: PREFIX=${prefix} BINDIR=${bindir} MANDIR=${mandir}"

do_compile() {
    oe_runmake
}

do_install() {
    oe_runmake install DESTDIR=${D}
}
