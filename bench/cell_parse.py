#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the output of the benchmark inmate (inmates/demos/bench.c) in a cell
and on the bare board, plus the root's "BENCH ..." console lines
(bench/cell-guest.sh), into the fragment out/bench/cell.json (schema: see
bench/report.py).

  bench/cell_parse.py --cell UART1_LOG --bare BARE_LOG --console CONSOLE_LOG -o OUT.json

Exits 2 with one line naming what is missing when a log is incomplete.
"""

import argparse
import json
import os
import re
import sys

sys.dont_write_bytecode = True	# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import stats  # noqa: E402


class ParseError(Exception):
    pass


def parse_inmate(path):
    """The 'bench: ...' lines of one run."""
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise ParseError("%s: %s" % (path, e))
    r = {"loops": {}, "samples": [], "path": path}
    for line in lines:
        m = re.search(r"bench: (\w+)(.*)$", line)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2)
        kv = dict(re.findall(r"(\w+)=(\S+)", rest))
        if kind == "start":
            r["start"] = kv
        elif kind == "selfcheck":
            r["selfcheck"] = int(kv["exits"])
        elif kind == "loop":
            nums = [int(x) for x in rest.split("totals=", 1)[1].split()]
            loop = r["loops"].setdefault(kv["name"], {"batch": int(kv["batch"]), "totals": []})
            loop["totals"] += nums
        elif kind == "spin":
            r["spin"] = {k: int(v) for k, v in kv.items()}
        elif kind == "timer":
            r["timer"] = {k: int(v) for k, v in kv.items()}
        elif kind == "timer_samples":
            r["samples"] += [int(x) for x in rest.split()]
        elif kind == "done":
            r["done"] = True
    if "start" not in r:
        raise ParseError("%s: no 'bench: start' line (the inmate did not run)" % path)
    if not r.get("done"):
        raise ParseError("%s: no 'bench: done' line (the inmate did not finish)" % path)
    if "timer" in r and len(r["samples"]) != r["timer"]["n"]:
        raise ParseError("%s: %d timer samples, the inmate announced %d"
                         % (path, len(r["samples"]), r["timer"]["n"]))
    return r


def parse_console(path):
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise ParseError("%s: %s" % (path, e))
    c = {"cell_stat": {}}
    for line in text.splitlines():
        m = re.search(r"BENCH (\w+)(.*)$", line)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).split()
        if kind == "error":
            raise ParseError("%s: the guest said: %s" % (path, " ".join(rest)))
        if kind == "cell_stat":
            c["cell_stat"][rest[0]] = int(rest[1])
        elif kind == "root_busy":
            c["root_busy"] = dict(x.split("=", 1) for x in rest)
        elif kind == "finished":
            c["finished"] = True
    if not c.get("finished"):
        raise ParseError("%s: no 'BENCH finished' line (the guest script did not finish)" % path)
    return c


def loop_costs(run, name):
    """Per-iteration cost of each batch minus the median empty loop's."""
    loop, empty = run["loops"].get(name), run["loops"].get(name + "_empty")
    if not loop or not empty:
        return None
    e = stats(empty["totals"])["median"]
    return [round((t - e) / loop["batch"], 3) for t in loop["totals"]], loop["batch"]


def fig(fid, title, unit, values=None, value=None, target=None, note=None, better="lower",
        resolution=None):
    f = {"id": fid, "title": title, "unit": unit, "better": better}
    if resolution is not None:
        f["resolution"] = resolution
    if values is not None:
        st = stats(values)
        f["stats"] = st
        f["value"] = st["median"] if st else None
    else:
        f["value"] = value
    if target:
        f["target"] = {"op": target[0], "value": target[1]}
    if note:
        f["note"] = note
    return f


def build(cell, bare, console):
    figures, samples = [], {}
    fine = cell["start"].get("clock") == "pmccntr" and bare["start"].get("clock") == "pmccntr"
    res = ("exact instruction counts (PMCCNTR under icount)" if fine else
           "counter-tick resolution only (%s instructions)" % cell["start"].get("ipt"))
    # One count of the clock each run's figures were taken with, in instructions.
    def clock_step(run):
        return 1 if run["start"].get("clock") == "pmccntr" else int(run["start"].get("ipt") or 16)
    tick, tick_bare = clock_step(cell), clock_step(bare)
    if cell.get("selfcheck") != 1:
        raise ParseError("the cell counted %s exits between two reads of its exit "
                         "counter; 1 expected" % cell.get("selfcheck"))

    # (1), (2): timer latency
    lc, lb = cell["samples"], bare["samples"]
    samples["timer_latency_cell"], samples["timer_latency_bare"] = lc, lb
    t = cell["timer"]
    figures.append(fig("timer_latency_cell", "Timer IRQ latency in a cell", "instructions",
                       values=lc, target=("<=", 150), resolution=tick,
                       note="CNTV_CVAL deadline to the IRQ vector's PMCCNTR read, %d "
                       "interrupts every %d ticks, first one dropped; %s; coarse check "
                       "mismatches %d" % (t["n"], t["period_ticks"], res, t["coarse_mismatch"])))
    figures.append(fig("timer_latency_bare", "Timer IRQ latency, bare board", "instructions",
                       values=lb, resolution=tick_bare,
                       note="the same program at EL1 on QEMU's board, no EL2"))
    mc, mb = stats(lc)["median"], stats(lb)["median"]
    figures.append(fig("timer_latency_over_bare", "Timer IRQ latency, cell - bare (medians)",
                       "instructions", value=mc - mb, target=("<=", 100),
                       resolution=max(tick, tick_bare),
                       note="what the exit to EL2, the injection and the return add; "
                       "goal of issue 19 (stretch: +60)"))
    figures.append(fig("timer_latency_vs_bare", "Timer IRQ latency, cell / bare (medians)",
                       "x", value=round(mc / mb, 2) if mb else None, target=("<=", 2),
                       note="bare median %s instructions" % mb))

    # (3) hypercall
    hc = loop_costs(cell, "hvc")
    if hc:
        samples["hypercall_roundtrip"] = hc[0]
        figures.append(fig("hypercall_roundtrip", "Hypercall round trip (GET_INFO NUM_CELLS)",
                           "instructions", values=hc[0], target=("<=", 70),
                           resolution=round(tick / hc[1], 3),
                           note="%d batches of %d calls; value = median batch, the empty "
                           "loop subtracted; includes the hvc instruction"
                           % (len(hc[0]), hc[1])))

    # (4) trapped MMIO
    mm = loop_costs(cell, "mmio")
    if mm:
        samples["mmio_roundtrip_cell"] = mm[0]
        figures.append(fig("mmio_roundtrip_cell", "Trapped MMIO read (GICD_TYPER) in a cell",
                           "instructions", values=mm[0], target=("<=", 140),
                           resolution=round(tick / mm[1], 3),
                           note="%d batches of %d reads; value = median batch, the empty "
                           "loop subtracted; includes the load" % (len(mm[0]), mm[1])))
    mmb = loop_costs(bare, "mmio")
    if mmb:
        samples["mmio_read_bare"] = mmb[0]
        figures.append(fig("mmio_read_bare", "GICD_TYPER read, bare board", "instructions",
                           values=mmb[0], resolution=round(tick_bare / mmb[1], 3),
                           note="QEMU's own distributor, no trap"))

    # (5) exits
    figures.append(fig("exits_per_irq", "VM exits per delivered timer interrupt", "exits",
                       value=round(t["exits"] / (t["n"] + 1), 3) if t["exits"] >= 0 else None,
                       target=("==", 1),
                       note="%d exits (%d of them virtual-IRQ exits) for %d interrupts, "
                       "counted by the cell itself" % (t["exits"], t["virq_exits"], t["n"] + 1)))
    sp = cell.get("spin")
    if sp:
        freq = int(cell["start"]["freq"])
        secs = sp["ticks"] / freq
        figures.append(fig("spin_exits_per_s", "VM exits/s, cell spinning without interrupts",
                           "exits/s", value=round(sp["exits"] / secs, 3) if sp["exits"] >= 0 else None,
                           target=("==", 0),
                           note="%d exits in %.3f s of virtual time" % (sp["exits"], secs)))
    rb = console.get("root_busy")
    if rb:
        secs = float(rb["uptime1"]) - float(rb["uptime0"])
        ex, vi = int(rb["exits"]), int(rb["virq_exits"])
        figures.append(fig("root_busy_exits_per_s", "VM exits/s, root CPU running a CPU-bound loop",
                           "exits/s", value=round(ex / secs, 1) if secs > 0 else None,
                           note="%d exits (%d virtual-IRQ: mostly Linux's own timer tick) in "
                           "%.2f s on root CPU 1" % (ex, vi, secs)))
    return {"part": "cell", "figures": figures, "samples": samples}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cell", required=True)
    ap.add_argument("--bare", required=True)
    ap.add_argument("--console", required=True)
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    try:
        frag = build(parse_inmate(a.cell), parse_inmate(a.bare), parse_console(a.console))
    except (ParseError, KeyError, ValueError) as e:
        print("cell_parse: %s" % (e if isinstance(e, ParseError) else
                                  "malformed benchmark output (%r)" % e), file=sys.stderr)
        return 2
    with open(a.output, "w") as f:
        json.dump(frag, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
