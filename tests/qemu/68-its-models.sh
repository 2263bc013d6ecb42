#!/usr/bin/env bash
# The ITS tests on more CPU models (issue 17; the models of 90-matrix.sh):
# 65-vits.sh (the cell's vITS, its attack variant, the root's MSIs) on
# neoverse-n1 (48-bit physical addresses; Linux kept at EL1 with vh=0) with
# Linux 6.12, and 96-cell-pci.sh (a cell's physical PCI function, its MSI-X
# table, the hand-back) on cortex-a76 (40 bits, vh=0) with Linux 6.1: not on
# a 48-bit CPU, whose stage 2 QEMU's SMMUv3 (44-bit output) cannot take
# (enable refuses it, naming both sizes). Each runs as it is, once, with the model added
# to every guest's scripts/qemu-run options (lib.sh's WARDEN_TEST_QEMU_ARGS)
# and the model in its test names (WARDEN_TEST_TAG). 65-vits-race.sh and
# 66-its-cell-devid.sh pick their own models (cortex-a72/a76,
# cortex-a57/a72), one per kernel series.
# WARDEN_TEST_KERNELS, when set, replaces each run's kernel series.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
run_on() { # SCRIPT SERIES MODEL [APPEND]
	WARDEN_TEST_KERNELS=${WARDEN_TEST_KERNELS:-$2} WARDEN_TEST_TAG="@$3" \
	WARDEN_TEST_QEMU_ARGS="--cpu $3${4:+ --append $4}" bash "$here/$1" || WT_FAILED=1
}
run_on 65-vits.sh 6.12 neoverse-n1 id_aa64mmfr1.vh=0
run_on 96-cell-pci.sh 6.1 cortex-a76 id_aa64mmfr1.vh=0
qemu_done
