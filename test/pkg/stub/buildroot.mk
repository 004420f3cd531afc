# SPDX-License-Identifier: ISC
# test/pkg/stub/buildroot.mk: just enough of Buildroot's package
# infrastructure to run contrib/buildroot/udsbox/udsbox.mk's build and install
# commands as Buildroot would: make -f stub/buildroot.mk PKGMK=... SRC=...
# TARGET_DIR=... CROSS=arm-linux-musleabihf- [BR2_STATIC_LIBS=y]
# TARGET_CONFIGURE_OPTS as package/Makefile.in sets it (the parts a plain
# make reads), TARGET_CFLAGS as a default Buildroot config gives.
TARGET_CC := $(CROSS)gcc
TARGET_CPPFLAGS := -D_LARGEFILE_SOURCE -D_LARGEFILE64_SOURCE -D_FILE_OFFSET_BITS=64
TARGET_CFLAGS := $(TARGET_CPPFLAGS) -Os -g0
TARGET_LDFLAGS :=
TARGET_MAKE_ENV := PATH="$(PATH)"
TARGET_CONFIGURE_OPTS := PATH="$(PATH)" CC="$(TARGET_CC)" GCC="$(TARGET_CC)" \
	CPP="$(TARGET_CC) -E" LD="$(CROSS)ld" STRIP=true \
	CPPFLAGS="$(TARGET_CPPFLAGS)" CFLAGS="$(TARGET_CFLAGS)" LDFLAGS="$(TARGET_LDFLAGS)"
define generic-package
$(SRC)/.stamp_installed:
	$$(UDSBOX_BUILD_CMDS)
	$$(UDSBOX_INSTALL_TARGET_CMDS)
endef
include $(PKGMK)
