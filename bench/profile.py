#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the hypervisor's instructions go, per benchmark path: reads QEMU's
per-instruction execution trace of the bench cell's CPU (bench/profile.sh)
and prints, for each phase of inmates/demos/bench.c (hvc, mmio, timer), the
EL2 instructions per VM exit, by function and by straight-line address range.

  bench/profile.py TRACE HYPERVISOR_ELF INMATE_ELF [--cpu N] [--base ADDR]

A phase starts when the inmate executes its loop (loop_hvc, loop_mmio) or
its timer handler (timer_irq) and ends at any other inmate code that does
work between batches (printing, polling, the empty loops). EL2 addresses are
those at or above --base (where the image runs, 1:1; default 0x7fc00000).
"""

import argparse
import bisect
import collections
import re
import subprocess
import sys

PHASE_OF = {"loop_hvc": "hvc", "loop_mmio": "mmio", "timer_irq": "timer"}
# Not "main": the timer phase waits there (WFI) between interrupts.
OTHER = {"printk", "vsnprintf", "comm_region_poll", "loop_hvc_empty",
         "loop_mmio_empty", "own_stat"}


def symbols(elf, base):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16) + base, p[2]))
    return syms


class Namer:
    def __init__(self, syms):
        self.syms = syms
        self.addrs = [a for a, _ in syms]

    def __call__(self, pc):
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.syms[i][1] if i >= 0 else "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("hv_elf")
    ap.add_argument("inmate_elf")
    ap.add_argument("--cpu", default="3")
    ap.add_argument("--base", default="0x7fc00000")
    a = ap.parse_args()
    base = int(a.base, 0)
    hv, im = Namer(symbols(a.hv_elf, base)), Namer(symbols(a.inmate_elf, 0))

    rx = re.compile(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    names = {}
    phase, in_el2 = "other", False
    exits = collections.Counter()
    by_pc = collections.defaultdict(collections.Counter)
    with open(a.trace, errors="replace") as f:
        for line in f:
            m = rx.match(line)
            if not m or m.group(1) != a.cpu:
                continue
            pc = int(m.group(2), 16)
            if pc < base:
                n = names.get(pc)
                if n is None:
                    n = names[pc] = im(pc)
                if n in PHASE_OF:
                    phase = PHASE_OF[n]
                elif n in OTHER:
                    phase = "other"
                in_el2 = False
                continue
            if not in_el2:
                exits[phase] += 1
                in_el2 = True
            by_pc[phase][pc] += 1

    for ph in ("hvc", "mmio", "timer"):
        if not exits[ph]:
            continue
        pcs = by_pc[ph]
        total = sum(pcs.values())
        n = exits[ph]
        print("== %s: %d exits, %.1f EL2 instructions per exit" % (ph, n, total / n))
        funcs = collections.Counter()
        for pc, c in pcs.items():
            funcs[hv(pc)] += c
        for fn, c in funcs.most_common():
            if c / n >= 0.5:
                print("   %6.1f  %s" % (c / n, fn))
        print("   straight-line runs (offset in the image, instructions, per exit):")
        runs = []
        for pc in sorted(pcs):
            if runs and pc == runs[-1][1] + 4 and pcs[pc] == runs[-1][2]:
                runs[-1][1] = pc
            else:
                runs.append([pc, pc, pcs[pc]])
        for lo, hi, c in runs:
            if c / n >= 0.5:
                print("     0x%05x-0x%05x %3d x %.2f  %s" % (lo - base, hi - base,
                                                        (hi - lo) // 4 + 1, c / n, hv(lo)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
