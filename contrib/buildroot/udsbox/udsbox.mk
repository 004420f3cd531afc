# SPDX-License-Identifier: ISC
################################################################################
#
# udsbox
#
################################################################################

UDSBOX_VERSION = 0.2.0
UDSBOX_SITE = https://example.org/udsbox/releases
UDSBOX_LICENSE = ISC
UDSBOX_LICENSE_FILES = LICENSE

# static with a static toolchain, else linked as the rest of the system; the
# target-finalize step strips
UDSBOX_MAKE_OPTS = \
	$(TARGET_CONFIGURE_OPTS) \
	STATIC=$(if $(BR2_STATIC_LIBS),1,0) \
	STRIP=: \
	PREFIX=/usr

define UDSBOX_BUILD_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(UDSBOX_MAKE_OPTS)
endef

define UDSBOX_INSTALL_TARGET_CMDS
	$(TARGET_MAKE_ENV) $(MAKE) -C $(@D) $(UDSBOX_MAKE_OPTS) \
		DESTDIR=$(TARGET_DIR) install
endef

$(eval $(generic-package))
