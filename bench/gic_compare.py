#!/usr/bin/env python3
"""The cell figures on the GICv2 board next to the GICv3 board's.

bench/gic_compare.py [--v3 out/bench/cell.json] [--v2 out/bench/gicv2/cell.json]

Both files come from bench/cell.sh (the GICv2 one from "bench/cell.sh --gic 2",
the same board otherwise). Prints one line per figure: GICv3, GICv2, the
difference, and whether GICv2 is within 10 % of GICv3 (the goal of issue 18).
Exit status 1 when a file is missing or a figure is not in both.
"""
import argparse
import json
import sys

FIGURES = [
    ("timer_latency_cell", "timer interrupt, deadline to handler"),
    ("mmio_roundtrip_cell", "trapped GICD_TYPER read"),
    ("hypercall_roundtrip", "hypercall round trip"),
]


def load(path):
    with open(path) as f:
        return {fig["id"]: fig for fig in json.load(f)["figures"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--v3", default="out/bench/cell.json")
    ap.add_argument("--v2", default="out/bench/gicv2/cell.json")
    a = ap.parse_args()
    try:
        v3, v2 = load(a.v3), load(a.v2)
    except OSError as e:
        print(f"gic_compare: {e}", file=sys.stderr)
        return 1
    status = 0
    print(f"{'figure (instructions)':40} {'GICv3':>8} {'GICv2':>8} {'GICv2-v3':>9}  within 10 %")
    for fid, title in FIGURES:
        if fid not in v3 or fid not in v2:
            print(f"gic_compare: {fid} missing", file=sys.stderr)
            status = 1
            continue
        x, y = v3[fid]["value"], v2[fid]["value"]
        ok = y <= x * 1.10
        print(f"{title:40} {x:8.1f} {y:8.1f} {y - x:+9.1f}  {'yes' if ok else 'NO'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
