#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The benchmark reporter (python3, standard library only).

Every part of "make bench" (bench/cell.sh, bench/root.sh) leaves a fragment
out/bench/<part>.json:

  {"part": "cell",
   "figures": [{"id": "timer_latency_cell", "title": "...", "unit": "instructions",
                "value": 185, "stats": {"n":.., "min":.., "median":.., "mean":..,
                "p99":.., "max":..}, "target": {"op": "<=", "value": 150},
                "better": "lower", "note": "..."}, ...],
   "samples": {"timer_latency_cell": [...], ...}}

stats, target, better (default "lower") and note are optional; value may be
null when a figure could not be measured. This program merges the fragments
into out/bench/results.json, prints one table (figure, value, target,
verdict met/MISSED/-, change against the baseline), draws the timer latency
histogram out/bench/timer-latency.svg, and compares every figure with
bench/baseline.json (same schema): a figure more than 5 % worse, in the
direction its "better" names, is a REGRESSION; one more than 5 % better is
listed as an improvement.

  bench/report.py [--out DIR] [--parts cell,root] [--baseline FILE]
                  [--update-baseline]

--update-baseline writes the merged figures (without samples) into the
baseline file, keeping the baseline's figures of parts not run this time.
The exit status is 0 whatever the verdicts (targets are reported, not
enforced); 2 for unusable input.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys

TOLERANCE = 0.05

OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
}


class InputError(Exception):
    """A fragment or baseline that cannot be used; the message names it."""


# ---- statistics

def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def stats(values):
    """n, min, median, mean, p99, max of a list of numbers (None if empty)."""
    if not values:
        return None
    v = sorted(values)
    n = len(v)
    mid = n // 2
    median = v[mid] if n % 2 else (v[mid - 1] + v[mid]) / 2
    return {
        "n": n,
        "min": v[0],
        "median": median,
        "mean": round(sum(v) / n, 3),
        "p99": percentile(v, 99),
        "max": v[-1],
    }


# ---- verdicts and comparison

def target_verdict(fig):
    """'met', 'MISSED' or '-' (no target, or no value)."""
    target = fig.get("target")
    value = fig.get("value")
    if not target or value is None:
        return "-"
    op = OPS.get(target.get("op"))
    if op is None:
        raise InputError("figure %s: unknown target operator %r"
                         % (fig.get("id"), target.get("op")))
    return "met" if op(value, target["value"]) else "MISSED"


def change(fig, base_fig, tolerance=TOLERANCE):
    """Compare one figure with its baseline.

    Returns (kind, relative) where kind is 'regression', 'improvement',
    'same' or None (nothing to compare) and relative is the change in the
    worse direction as a fraction (positive = worse; inf when the baseline is
    0 and the value moved away from it).
    """
    if base_fig is None:
        return None, None
    new, old = fig.get("value"), base_fig.get("value")
    if new is None or old is None:
        return None, None
    better = fig.get("better", base_fig.get("better", "lower"))
    if better not in ("lower", "higher"):
        raise InputError("figure %s: 'better' must be lower or higher, not %r"
                         % (fig.get("id"), better))
    worse_by = new - old if better == "lower" else old - new
    if old == 0:
        rel = 0.0 if worse_by == 0 else math.copysign(math.inf, worse_by)
    else:
        rel = worse_by / abs(old)
    if rel > tolerance:
        return "regression", rel
    if rel < -tolerance:
        return "improvement", rel
    return "same", rel


def compare(figures, baseline_figures, tolerance=TOLERANCE):
    """Comparison rows for every figure that has a baseline."""
    base = {f["id"]: f for f in baseline_figures}
    rows = []
    for fig in figures:
        kind, rel = change(fig, base.get(fig["id"]), tolerance)
        if kind is not None:
            rows.append({"id": fig["id"], "kind": kind,
                         "value": fig["value"], "baseline": base[fig["id"]]["value"],
                         "worse_by": None if math.isinf(rel) else round(rel, 4)})
    return rows


# ---- input

def load_fragment(path):
    try:
        with open(path) as f:
            frag = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError("%s: %s" % (path, e))
    if not isinstance(frag, dict) or not isinstance(frag.get("figures"), list):
        raise InputError("%s: not a benchmark fragment (no 'figures' list)" % path)
    for fig in frag["figures"]:
        if not isinstance(fig, dict) or "id" not in fig or "value" not in fig:
            raise InputError("%s: a figure without 'id' or 'value'" % path)
        v = fig["value"]
        if v is not None and not isinstance(v, (int, float)):
            raise InputError("%s: figure %s: value %r is not a number"
                             % (path, fig["id"], v))
    return frag


def merge(fragments):
    figures, samples, parts = [], {}, []
    seen = set()
    for frag in fragments:
        part = frag.get("part", "?")
        parts.append(part)
        for fig in frag["figures"]:
            if fig["id"] in seen:
                raise InputError("figure %s appears twice" % fig["id"])
            seen.add(fig["id"])
            fig = dict(fig)
            fig.setdefault("part", part)
            figures.append(fig)
        samples.update(frag.get("samples") or {})
    return {"parts": parts, "figures": figures, "samples": samples}


# ---- output: table

def fmt_num(v):
    if v is None:
        return "n/a"
    if isinstance(v, float) and not v.is_integer():
        return "%.3g" % v if abs(v) < 10 else "%.1f" % v
    return "%d" % v


def fmt_change(row):
    if row is None:
        return ""
    if row["kind"] == "same":
        return "= (was %s)" % fmt_num(row["baseline"])
    pct = ""
    if row["worse_by"] is not None:
        pct = " %.1f%% %s" % (abs(100 * row["worse_by"]),
                              "worse" if row["worse_by"] > 0 else "better")
    label = "REGRESSION" if row["kind"] == "regression" else "improved"
    return "%s%s (was %s)" % (label, pct, fmt_num(row["baseline"]))


# Counts that are exact by nature, when a figure does not give its resolution.
EXACT_UNITS = {"bytes", "pages", "exits"}


def fmt_resolution(fig):
    """One step of what the figure was measured with, in its unit."""
    r = fig.get("resolution")
    if r is not None:
        return "%s %s" % (fmt_num(r), fig.get("unit", ""))
    if fig.get("unit") in EXACT_UNITS:
        return "exact"
    return "derived"


def table(figures, rows):
    by_id = {r["id"]: r for r in rows}
    head = ("figure", "value", "resolution", "target", "verdict", "vs baseline")
    lines = []
    for fig in figures:
        unit = fig.get("unit", "")
        value = fmt_num(fig.get("value"))
        if unit and fig.get("value") is not None:
            value += " " + unit
        t = fig.get("target")
        target = "%s %s" % (t["op"], fmt_num(t["value"])) if t else ""
        lines.append((fig.get("title", fig["id"]), value, fmt_resolution(fig), target,
                      target_verdict(fig), fmt_change(by_id.get(fig["id"]))))
    widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h)
              for i, h in enumerate(head)]
    out = []
    fmt = "  ".join("%%-%ds" % w for w in widths)
    out.append((fmt % head).rstrip())
    out.append((fmt % tuple("-" * w for w in widths)).rstrip())
    for l in lines:
        out.append((fmt % l).rstrip())
    return "\n".join(out)


# ---- output: SVG histogram

def svg_histogram(series, title, unit, markers=()):
    """A hand-written SVG: one bar series per (label, colour, values), and
    a dashed vertical line per (value, label) marker inside the range."""
    series = [s for s in series if s[2]]
    width, height = 760, 400
    left, right, top, bottom = 70, 20, 90, 60
    pw, ph = width - left - right, height - top - bottom
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">'
           % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>'
           % (left, esc(title))]
    if not series:
        out.append('<text x="%d" y="%d">no samples</text>' % (left, top + 20))
        out.append("</svg>")
        return "\n".join(out) + "\n"

    # Range: everything up to the largest p99; beyond it one overflow bin.
    lo = min(min(s[2]) for s in series)
    hi = max(percentile(sorted(s[2]), 99) for s in series)
    span = max(hi - lo + 1, 1)
    nbins = min(60, span)
    bw = math.ceil(span / nbins)
    nbins = math.ceil(span / bw)
    overflow = any(max(s[2]) > lo + nbins * bw - 1 for s in series)
    slots = nbins + (1 if overflow else 0)

    counts = []
    for s in series:
        c = [0] * slots
        for v in s[2]:
            i = (v - lo) // bw
            c[int(min(i, slots - 1))] += 1
        counts.append([x / len(s[2]) for x in c])
    ymax = max(max(c) for c in counts) or 1

    slot_w = pw / slots
    bar_w = slot_w / len(series)
    # axes
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
               % (left, top + ph, left + pw, top + ph))
    out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
               % (left, top, left, top + ph))
    for k in range(5):
        frac = k / 4
        y = top + ph - frac * ph
        out.append('<text x="%d" y="%.1f" text-anchor="end">%d%%</text>'
                   % (left - 6, y + 4, round(100 * frac * ymax)))
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                   % (left, y, left + pw, y))
    for si, (label, colour, _values) in enumerate(series):
        for i, frac in enumerate(counts[si]):
            if not frac:
                continue
            h = frac / ymax * ph
            x = left + i * slot_w + si * bar_w
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                       'fill="%s"><title>%s: %s</title></rect>'
                       % (x, top + ph - h, max(bar_w - 0.5, 0.5), h, colour,
                          esc(label), bin_label(lo, bw, i, nbins)))
    # x labels: about 8 of them
    step = max(1, slots // 8)
    for i in range(0, slots, step):
        x = left + i * slot_w + slot_w / 2
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (x, top + ph + 16, esc(bin_label(lo, bw, i, nbins))))
    out.append('<text x="%d" y="%d" text-anchor="middle">%s (bins of %d)</text>'
               % (left + pw / 2, height - 14, esc(unit), bw))
    out.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" '
               'text-anchor="middle">share of samples</text>'
               % (top + ph / 2, top + ph / 2))
    for value, label in markers:
        if lo <= value <= lo + nbins * bw:
            x = left + (value - lo) / bw * slot_w
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#555" '
                       'stroke-dasharray="4 3"/>' % (x, top - 6, x, top + ph))
            out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>'
                       % (x, top - 10, esc(label)))
    # legend, under the title
    for si, (label, colour, values) in enumerate(series):
        st = stats(values)
        y = 46 + 17 * si
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>'
                   % (left, y - 10, colour))
        out.append('<text x="%d" y="%d">%s: n=%d, min %s, median %s, mean %s, p99 %s, '
                   'max %s</text>'
                   % (left + 18, y, esc(label), st["n"], fmt_num(st["min"]),
                      fmt_num(st["median"]), fmt_num(st["mean"]), fmt_num(st["p99"]),
                      fmt_num(st["max"])))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def bin_label(lo, bw, i, nbins):
    if i >= nbins:
        return ">%d" % (lo + nbins * bw - 1)
    a = lo + i * bw
    return "%d" % a if bw == 1 else "%d-%d" % (a, a + bw - 1)


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


# ---- main

def git_commit(top):
    try:
        return subprocess.run(["git", "-C", top, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def main(argv=None):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Merge and report benchmark results.")
    ap.add_argument("--out", default=os.path.join(os.environ.get("OUT", os.path.join(top, "out")), "bench"))
    ap.add_argument("--parts", default=None,
                    help="comma-separated parts to merge (default: every fragment found)")
    ap.add_argument("--baseline", default=os.path.join(top, "bench", "baseline.json"))
    ap.add_argument("--update-baseline", action="store_true")
    args = ap.parse_args(argv)

    try:
        if args.parts:
            parts = [p for p in args.parts.split(",") if p]
        else:
            base = os.path.abspath(args.baseline)
            parts = sorted(f[:-5] for f in os.listdir(args.out)
                           if f.endswith(".json") and f != "results.json" and
                           os.path.abspath(os.path.join(args.out, f)) != base)
        fragments = []
        for p in parts:
            path = os.path.join(args.out, p + ".json")
            if not os.path.exists(path):
                print("report: no results of part '%s' (%s missing)" % (p, path),
                      file=sys.stderr)
                continue
            fragments.append(load_fragment(path))
        if not fragments:
            raise InputError("no benchmark results in %s" % args.out)
        merged = merge(fragments)
        baseline = None
        if os.path.exists(args.baseline):
            baseline = load_fragment(args.baseline)
        rows = compare(merged["figures"], baseline["figures"]) if baseline else []
        for fig in merged["figures"]:
            target_verdict(fig)	# reject unknown operators before writing
    except InputError as e:
        print("report: %s" % e, file=sys.stderr)
        return 2

    merged_out = {
        "generated": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "commit": git_commit(top),
        "parts": merged["parts"],
        "figures": [dict(f, verdict=target_verdict(f)) for f in merged["figures"]],
        "comparison": rows,
        "samples": merged["samples"],
    }
    results = os.path.join(args.out, "results.json")
    with open(results, "w") as f:
        json.dump(merged_out, f, indent=1)
        f.write("\n")

    print(table(merged["figures"], rows))
    print()
    s = merged["samples"]
    if "timer_latency_cell" in s or "timer_latency_bare" in s:
        svg = svg_histogram([("in a cell", "#d9534f", s.get("timer_latency_cell", [])),
                             ("bare board", "#337ab7", s.get("timer_latency_bare", []))],
                            "Virtual timer interrupt latency (QEMU, icount: 1 instruction = 1 ns)",
                            "instructions from the deadline to the IRQ vector",
                            markers=[(f["target"]["value"], "target %s %s" % (
                                f["target"]["op"], fmt_num(f["target"]["value"])))
                                for f in merged["figures"]
                                if f["id"] == "timer_latency_cell" and f.get("target")])
        path = os.path.join(args.out, "timer-latency.svg")
        with open(path, "w") as f:
            f.write(svg)
        print("histogram: %s" % path)
    print("results:   %s" % results)

    verdicts = [target_verdict(f) for f in merged["figures"]]
    print("targets:   %d met, %d MISSED, %d without target"
          % (verdicts.count("met"), verdicts.count("MISSED"), verdicts.count("-")))
    if baseline is None:
        print("baseline:  none (%s); make one with --update-baseline" % args.baseline)
    else:
        reg = [r for r in rows if r["kind"] == "regression"]
        imp = [r for r in rows if r["kind"] == "improvement"]
        for r in reg:
            print("REGRESSION: %s: %s, baseline %s" % (r["id"], fmt_num(r["value"]),
                                                       fmt_num(r["baseline"])))
        for r in imp:
            print("improved:   %s: %s, baseline %s" % (r["id"], fmt_num(r["value"]),
                                                       fmt_num(r["baseline"])))
        print("baseline:  %d regressions, %d improvements, %d within %d %% (%s)"
              % (len(reg), len(imp), len(rows) - len(reg) - len(imp),
                 round(TOLERANCE * 100), os.path.relpath(args.baseline, top)))

    if args.update_baseline:
        keep = []
        if baseline is not None:
            new_ids = {f["id"] for f in merged["figures"]}
            keep = [f for f in baseline["figures"]
                    if f.get("part") not in merged["parts"] and f["id"] not in new_ids]
        figs = keep + [{k: v for k, v in f.items() if k != "verdict"}
                       for f in merged["figures"]]
        with open(args.baseline, "w") as f:
            json.dump({"part": "baseline", "commit": git_commit(top),
                       "figures": figs, "samples": {}}, f, indent=1)
            f.write("\n")
        print("baseline:  written to %s" % args.baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
