# SPDX-License-Identifier: ISC
# test/pkg/stub/openwrt.mk: just enough of OpenWrt's package.mk to run
# contrib/openwrt/udsbox/Makefile's Build/Compile and Package/udsbox/install
# as the SDK would: make -f stub/openwrt.mk PKGMK=... PKG_BUILD_DIR=...
# IPKG=... CROSS=.../mips-linux-musl-
TOPDIR := $(dir $(lastword $(MAKEFILE_LIST)))
INCLUDE_DIR := $(TOPDIR)
TARGET_CC := $(CROSS)gcc
TARGET_CFLAGS := -Os -pipe -mno-branch-likely -mips32r2 -mtune=24kc -fno-caller-saves -msoft-float
TARGET_CPPFLAGS :=
TARGET_LDFLAGS :=
TARGET_CONFIGURE_OPTS := AR="$(CROSS)ar" AS="$(TARGET_CC) -c" LD="$(CROSS)ld" NM="$(CROSS)nm" \
	CC="$(TARGET_CC)" GCC="$(TARGET_CC)" CXX="$(CROSS)g++" RANLIB="$(CROSS)ranlib" STRIP=: \
	OBJCOPY="$(CROSS)objcopy" OBJDUMP="$(CROSS)objdump" SIZE="$(CROSS)size"
INSTALL_DIR := install -d -m0755
INSTALL_BIN := install -m0755
LN := ln -sf
BuildPackage = $(IPKG)/.built:; $$(Build/Compile) ; $$(call Package/$(1)/install,$(IPKG))
include $(PKGMK)
