#!/usr/bin/env python3
"""The hypervisor's file-level call graph, and its circles.

X -> Y when a function of X calls a non-static function defined in Y (by
name; static inline functions in headers are not files of their own). Prints
each strongly connected component of more than one file ("circle"), one line
each: "circle N: file file ...". With --forbid A,B: exits 1 when a circle holds
a file matching regex A and one matching regex B (e.g. the GIC drivers and
the core), after printing "forbidden: ..." for it.

usage: hv-callgraph.py [--forbid REGEX_A,REGEX_B] [TOP]
"""
import glob
import os
import re
import sys

COMMENT_OR_STRING = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\])*"', re.S)
DEFINITION = re.compile(r'^(?!static)[A-Za-z_][\w \*]*?\b(\w+)\s*\([^;{]*\)\s*\{', re.M)
CALL = re.compile(r'\b(\w+)\s*\(')


def graph(top):
    files = sorted(glob.glob(top + '/hypervisor/core/*.c') +
                   glob.glob(top + '/hypervisor/arch/arm64/*.c') +
                   glob.glob(top + '/common/*.c'))
    text, defined = {}, {}
    for f in files:
        with open(f) as fh:
            text[f] = COMMENT_OR_STRING.sub(' ', fh.read())
        for m in DEFINITION.finditer(text[f]):
            defined.setdefault(m.group(1), f)
    edges = {f: set() for f in files}
    for f in files:
        for m in CALL.finditer(text[f]):
            g = defined.get(m.group(1))
            if g and g != f:
                edges[f].add(g)
    return files, edges


def circles(files, edges):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in files:
        if v not in index:
            visit(v)
    return out


def main(argv):
    forbid = None
    if len(argv) > 1 and argv[1] == '--forbid':
        forbid = [re.compile(x) for x in argv[2].split(',', 1)]
        argv = argv[:1] + argv[3:]
    top = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    files, edges = graph(top)
    bad = 0
    for n, comp in enumerate(circles(files, edges), 1):
        names = [os.path.relpath(f, top) for f in comp]
        print('circle %u: %s' % (n, ' '.join(names)))
        if forbid and any(forbid[0].search(x) for x in names) and \
                any(forbid[1].search(x) for x in names):
            print('forbidden: circle %u joins %s and %s' %
                  (n, forbid[0].pattern, forbid[1].pattern))
            bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv))
