#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit test of the benchmark reporter's verdicts and baseline comparison
(bench/report.py), run by the unit stage of tests/run. Prints one
"ok - ..." / "not ok - ..." line per check; exit status 1 if any failed."""

import json
import math
import os
import sys
import tempfile

sys.dont_write_bytecode = True	# no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

failed = 0


def check(name, cond):
    global failed
    print("%s - bench reporter: %s" % ("ok" if cond else "not ok", name))
    if not cond:
        failed += 1


def fig(value, better=None, target=None, fid="x"):
    f = {"id": fid, "value": value}
    if better:
        f["better"] = better
    if target:
        f["target"] = {"op": target[0], "value": target[1]}
    return f


def kind(new, old, better=None):
    return report.change(fig(new, better), fig(old, better))[0]


# Direction "lower" (the default): larger is worse.
check("6 % worse (lower is better) is a regression", kind(106, 100) == "regression")
check("4 % worse (lower is better) is not", kind(104, 100) == "same")
check("6 % better (lower is better) is an improvement", kind(94, 100) == "improvement")
check("4 % better (lower is better) is unchanged", kind(96, 100) == "same")
# Direction "higher": smaller is worse.
check("6 % lower (higher is better) is a regression", kind(94, 100, "higher") == "regression")
check("4 % lower (higher is better) is not", kind(96, 100, "higher") == "same")
check("6 % higher (higher is better) is an improvement",
      kind(106, 100, "higher") == "improvement")
check("6 % higher (lower is better) is not an improvement", kind(106, 100) != "improvement")
# Edges.
rel = report.change(fig(106), fig(100))[1]
check("the relative change is reported", abs(rel - 0.06) < 1e-9)
check("from a zero baseline any increase is a regression", kind(1, 0) == "regression")
check("zero stays zero", kind(0, 0) == "same")
check("no value, no verdict", kind(None, 100) is None and kind(100, None) is None)
check("no baseline figure, no verdict", report.change(fig(1), None) == (None, None))
check("negative baseline: direction still respected", kind(-94, -100) == "regression")
try:
    report.change(fig(1, "sideways"), fig(1))
    check("an unknown 'better' is refused", False)
except report.InputError:
    check("an unknown 'better' is refused", True)

rows = report.compare([fig(106, fid="a"), fig(104, fid="b"), fig(1, fid="c")],
                      [fig(100, fid="a"), fig(100, fid="b")])
check("compare: one row per figure with a baseline", [r["id"] for r in rows] == ["a", "b"])
check("compare: kinds", [r["kind"] for r in rows] == ["regression", "same"])

# Targets.
check("target <= met", report.target_verdict(fig(150, target=("<=", 150))) == "met")
check("target <= missed", report.target_verdict(fig(151, target=("<=", 150))) == "MISSED")
check("target == missed", report.target_verdict(fig(1.5, target=("==", 1))) == "MISSED")
check("target >= met", report.target_verdict(fig(3, target=(">=", 2))) == "met")
check("no target", report.target_verdict(fig(3)) == "-")
check("no value", report.target_verdict(fig(None, target=("<=", 1))) == "-")

# Statistics.
st = report.stats([5, 1, 3, 2, 4])
check("stats of 1..5", st == {"n": 5, "min": 1, "median": 3, "mean": 3.0, "p99": 5, "max": 5})
st = report.stats(list(range(1, 201)))
check("p99 of 1..200 is 198 (nearest rank)", st["p99"] == 198 and st["median"] == 100.5)
check("stats of nothing", report.stats([]) is None)

# End to end: a fragment, a baseline 10 % better, the table and the files.
with tempfile.TemporaryDirectory() as d:
    frag = {"part": "cell",
            "figures": [{"id": "t", "title": "T", "unit": "instructions", "value": 110,
                         "target": {"op": "<=", "value": 100}}],
            "samples": {"timer_latency_cell": [110, 111, 300],
                        "timer_latency_bare": [5, 5, 6]}}
    with open(os.path.join(d, "cell.json"), "w") as f:
        json.dump(frag, f)
    base = os.path.join(d, "baseline.json")
    with open(base, "w") as f:
        json.dump({"part": "baseline", "figures": [dict(frag["figures"][0], value=100),
                                                   {"id": "r", "value": 7, "part": "root"}]}, f)
    out = os.path.join(d, "stdout")
    saved = sys.stdout
    with open(out, "w") as sys.stdout:
        st = report.main(["--out", d, "--baseline", base, "--update-baseline"])
    sys.stdout = saved
    text = open(out).read()
    check("main: exit status 0", st == 0)
    check("main: the table flags the regression", "REGRESSION 10.0% worse" in text)
    check("main: the table shows the missed target", "MISSED" in text)
    res = json.load(open(os.path.join(d, "results.json")))
    check("main: results.json has the comparison",
          res["comparison"][0]["kind"] == "regression")
    svg = open(os.path.join(d, "timer-latency.svg")).read()
    check("main: the histogram is an SVG with both series",
          svg.startswith("<svg") and "in a cell" in svg and "bare board" in svg)
    nb = json.load(open(base))
    ids = sorted(f["id"] for f in nb["figures"])
    check("main: --update-baseline keeps other parts' figures", ids == ["r", "t"] and
          [f["value"] for f in nb["figures"] if f["id"] == "t"] == [110])
    with open(os.path.join(d, "cell.json"), "w") as f:
        f.write('{"figures": [{"id": "t", "value": "fast"}]}')
    saved_err = sys.stderr
    with open(out, "w") as sys.stderr:
        st = report.main(["--out", d, "--baseline", base])
    sys.stderr = saved_err
    check("main: a non-numeric value is refused with status 2",
          st == 2 and "not a number" in open(out).read())

# Every figure's resolution is in the table.
t = report.table([dict(fig(32, fid="timer"), unit="instructions", resolution=16, title="timer"),
                  dict(fig(90000, fid="img"), unit="bytes", title="image"),
                  dict(fig(1.0, fid="ratio"), unit="x", title="ratio")], [])
lines = t.splitlines()
check("table: a resolution column", "resolution" in lines[0])
check("table: a figure's own resolution with its unit",
      [l for l in lines if l.startswith("timer")][0].split()[3:5] == ["16", "instructions"])
check("table: byte counts are exact", "exact" in [l for l in lines if l.startswith("image")][0])
check("table: a ratio without a resolution says derived",
      "derived" in [l for l in lines if l.startswith("ratio")][0])

check("inf is never written as a relative change",
      report.compare([fig(1, fid="z")], [fig(0, fid="z")])[0]["worse_by"] is None)
sys.exit(1 if failed else 0)
