# Warden top-level build.
#
#   make                 everything: hypervisor image, module for both Debian
#                        kernel series, tool, configurations (and inmates)
#   make run             build, then boot the QEMU test bed interactively
#   make check           build, then run the test suite (tests/run)
#   make bench           build, then run the benchmarks (bench/run): a table
#                        against the targets, out/bench/results.json, the
#                        latency histogram and the comparison with
#                        bench/baseline.json
#   make install         install the tool, its man page and bash completion
#                        (PREFIX=/usr/local, DESTDIR= for staging)
#   make defconfig | menuconfig | olddefconfig
#   make clean           remove out/ and the generated configuration header
#   make distclean       clean, and forget .config
#
#   V=1                  show the commands
#   KDIR=<kernel build>  build the module only against that kernel, into
#                        out/custom/warden.ko (cross-compiled for arm64 by
#                        default; add CROSS_COMPILE= on an Arm machine)
#   ARCH=arm64           accepted as Kbuild takes it (arm64 is the only one)
#   CROSS_COMPILE=<pfx>  the arm64 tool chain's prefix for the hypervisor,
#                        module, guest tool, configurations and inmates
#                        (default aarch64-linux-gnu-; empty on an Arm machine)
#   RUN_ARGS="..."       extra scripts/qemu-run options for "make run",
#                        e.g. RUN_ARGS="--kernel 6.12"
#
# Sub-directories build through their own Makefiles with absolute paths:
# hypervisor (OUT=) -> out/warden.bin, driver (KDIR= BUILD=) -> out/<series>/
# warden.ko, tools (OUT=) -> out/warden and out/host/warden, configs (OUT=)
# -> out/configs/*.cell, inmates (OUT=) -> out/inmates/*.bin.

TOP := $(CURDIR)
OUT ?= $(TOP)/out
# Kbuild's ARCH: the build is for arm64 whatever the host; say so early.
ifneq ($(filter-out arm64 aarch64,$(ARCH)),)
$(error ARCH=$(ARCH): Warden is built for arm64 only (ARCH=arm64, or leave ARCH out))
endif
override OUT := $(abspath $(OUT))
CACHE := $(TOP)/.cache
SERIES := 6.1 6.12

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

export OUT

.DEFAULT_GOAL := all
.PHONY: all setup autoconf hypervisor driver tools configs inmates run check \
	defconfig menuconfig olddefconfig clean distclean help bench install

# ---- set-up: scripts/setup when the tool chain or the kernel cache is missing.
# With KDIR= the module is built for a kernel of the user's choice (possibly
# natively on an Arm machine): then only the kconfig tools are required.
ifneq ($(KDIR),)
SETUP_MISSING := $(if $(shell command -v kconfig-conf),,kconfig-conf)
else
SETUP_MISSING := $(strip \
	$(foreach s,$(SERIES),$(if $(wildcard $(CACHE)/linux-$(s)/.complete),,.cache/linux-$(s))) \
	$(if $(wildcard $(CACHE)/busybox),,.cache/busybox) \
	$(if $(wildcard $(CACHE)/libfdt-arm64/.complete),,.cache/libfdt-arm64) \
	$(if $(shell command -v aarch64-linux-gnu-gcc),,aarch64-linux-gnu-gcc) \
	$(if $(shell command -v qemu-system-aarch64),,qemu-system-aarch64) \
	$(if $(shell command -v kconfig-conf),,kconfig-conf))
endif

setup:
ifneq ($(SETUP_MISSING),)
	@echo "  SETUP   missing: $(SETUP_MISSING)"
	$(Q)bash $(TOP)/scripts/setup
endif

# ---- configuration: .config (defconfig when missing) -> autoconf.h
KCONF_ENV := KCONFIG_CONFIG=.config KCONFIG_AUTOHEADER=include/generated/autoconf.h \
	KCONFIG_AUTOCONFIG=include/config/auto.conf
AUTOCONF := $(TOP)/include/generated/autoconf.h

.config: | setup
	@echo "  CONFIG  defconfig (no .config yet)"
	$(Q)$(KCONF_ENV) kconfig-conf -s --defconfig=defconfig Kconfig

$(AUTOCONF): .config Kconfig | setup
	@echo "  CONFIG  include/generated/autoconf.h"
	$(Q)mkdir -p include/generated include/config
	@# Options new since .config was written take their defaults (no prompt).
	$(Q)$(KCONF_ENV) kconfig-conf -s --olddefconfig Kconfig
	$(Q)$(KCONF_ENV) kconfig-conf -s --silentoldconfig Kconfig </dev/null
	$(Q)touch $@

autoconf: $(AUTOCONF)

defconfig: | setup
	$(Q)$(KCONF_ENV) kconfig-conf --defconfig=defconfig Kconfig

menuconfig: | setup
	$(Q)$(KCONF_ENV) kconfig-mconf Kconfig

olddefconfig: | setup
	$(Q)$(KCONF_ENV) kconfig-conf --olddefconfig Kconfig

# ---- sub-directories (each is skipped with a note while it has no Makefile)
define submake
	+$(Q)if [ -f $(TOP)/$(1)/Makefile ]; then \
		$(MAKE) -C $(TOP)/$(1) $(2); \
	else \
		echo "  SKIP    $(1)/ (no $(1)/Makefile yet)"; \
	fi
endef

all: hypervisor driver tools configs inmates

hypervisor: $(AUTOCONF)
	$(call submake,hypervisor,OUT=$(OUT))

# One module per cached kernel series (the driver's Makefile builds each in
# its own BUILD directory, so they can run in parallel), or one for KDIR.
ifneq ($(KDIR),)
driver: $(AUTOCONF)
	$(call submake,driver,KDIR=$(abspath $(KDIR)) BUILD=$(OUT)/custom)
else
.PHONY: $(addprefix driver-,$(SERIES))
driver: $(addprefix driver-,$(SERIES))
$(addprefix driver-,$(SERIES)): driver-%: $(AUTOCONF)
	$(call submake,driver,KDIR=$(CACHE)/linux-$*/headers BUILD=$(OUT)/$*)
endif

tools: $(AUTOCONF)
	$(call submake,tools,OUT=$(OUT))

configs: $(AUTOCONF)
	$(call submake,configs,OUT=$(OUT))

inmates: $(AUTOCONF)
	+$(Q)if [ -f $(TOP)/inmates/Makefile ]; then $(MAKE) -C $(TOP)/inmates OUT=$(OUT); fi

# ---- using the build
run: all
	$(Q)$(TOP)/scripts/qemu-run $(RUN_ARGS)

check: all
	$(Q)$(TOP)/tests/run

bench: all
	$(Q)$(TOP)/bench/run $(BENCH_ARGS)

# Only the tool is installed: the module, firmware and configurations belong
# to the guest image (scripts/mkinitramfs) or to a distribution's package.
PREFIX ?= /usr/local
install: tools
	$(Q)$(MAKE) -C $(TOP)/tools OUT=$(OUT) PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) install

# ---- cleaning
clean:
	$(Q)for d in hypervisor tools configs inmates; do \
		[ ! -f $(TOP)/$$d/Makefile ] || $(MAKE) -C $(TOP)/$$d OUT=$(OUT) clean || true; \
	done
	$(Q)[ ! -f $(TOP)/driver/Makefile ] || [ ! -d $(CACHE)/linux-6.1/headers ] || \
		$(MAKE) -C $(TOP)/driver KDIR=$(CACHE)/linux-6.1/headers BUILD=$(OUT)/6.1 clean || true
	rm -rf $(OUT) include/generated include/config

distclean: clean
	rm -f .config .config.old

help:
	@sed -n '3,31s/^# \{0,1\}//p' $(TOP)/Makefile
