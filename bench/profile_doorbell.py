#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The hypervisor's instructions on a doorbell's way, from QEMU's
per-instruction trace of the doorbell benchmark (bench/profile-doorbell.sh):
every stay at EL2 of every CPU, from its first instruction to its ERET,
grouped by the path it took (the functions it passed through, in order), with
how often each path ran, its instructions per stay and, for the doorbell and
interrupt paths, the functions' shares.

  bench/profile_doorbell.py TRACE HYPERVISOR_ELF [--base ADDR] [--min N]

EL2 addresses are those in [--base, --base + 4 MiB) (where the image runs,
1:1; default 0x7fc00000). Paths seen fewer than --min times are summed into
one line.
"""

import argparse
import bisect
import collections
import re
import subprocess
import sys


def symbols(elf, base):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tT" and not p[2].startswith("$"):
            syms.append((int(p[0], 16) + base, p[2]))
    return syms


def erets(elf, base):
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", elf], capture_output=True,
                         text=True, check=True).stdout
    rx = re.compile(r"^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+eret\b")
    return {int(m.group(1), 16) + base for m in map(rx.match, out.splitlines()) if m}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("hv_elf")
    ap.add_argument("--base", default="0x7fc00000")
    ap.add_argument("--min", type=int, default=5)
    a = ap.parse_args()
    base = int(a.base, 0)
    syms = symbols(a.hv_elf, base)
    addrs = [s for s, _ in syms]
    ends = erets(a.hv_elf, base)
    names = {}

    def name(pc):
        n = names.get(pc)
        if n is None:
            i = bisect.bisect_right(addrs, pc) - 1
            n = names[pc] = syms[i][1] if i >= 0 else "?"
        return n

    rx = re.compile(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    open_stay = {}          # cpu -> [instructions, [functions in order], Counter]
    paths = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    with open(a.trace, errors="replace") as f:
        for line in f:
            m = rx.match(line)
            if not m:
                continue
            cpu, pc = m.group(1), int(m.group(2), 16)
            if not base <= pc < base + (4 << 20):
                open_stay.pop(cpu, None)    # a guest instruction: any stay has ended
                continue
            st = open_stay.setdefault(cpu, [0, [], collections.Counter()])
            n = name(pc)
            st[0] += 1
            st[2][n] += 1
            if not st[1] or st[1][-1] != n:
                if n not in st[1]:
                    st[1].append(n)
            if pc in ends:
                p = paths[" > ".join(st[1])]
                p[0] += 1
                p[1] += st[0]
                p[2].update(st[2])
                del open_stay[cpu]

    rare = [0, 0]
    print("%7s %8s  %s" % ("stays", "instr", "path (functions in order of first use)"))
    for key, (cnt, ins, funcs) in sorted(paths.items(), key=lambda kv: -kv[1][0]):
        if cnt < a.min:
            rare[0] += cnt
            rare[1] += ins
            continue
        print("%7d %8.1f  %s" % (cnt, ins / cnt, key))
        if "doorbell" in key or "fast_irq" in key:
            for fn, c in funcs.most_common():
                print("%16s %6.1f  %s" % ("", c / cnt, fn))
    if rare[0]:
        print("%7d %8.1f  (paths seen fewer than %d times)" % (rare[0], rare[1] / rare[0], a.min))
    return 0


if __name__ == "__main__":
    sys.exit(main())
