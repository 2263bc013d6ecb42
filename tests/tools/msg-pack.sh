#!/usr/bin/env bash
# scripts/msg-pack, the build step that packs the hypervisor's message texts:
#   - every string literal of the hypervisor's C files (and of the rest of
#     the tree, through the encoder alone) comes back byte for byte when the
#     packed copy is decoded as vsnprintf decodes it, and the literals left
#     alone and all other tokens are unchanged;
#   - preprocessed (the hypervisor's flags, aarch64 gcc -E), original and
#     packed copies have the same tokens outside literals, and every string
#     (adjacent literals joined) the same conversion specifications, so
#     -Wformat checks the same argument types;
#   - the printf-like functions and macros found are exactly the audited ones
#     (each writes its output through vsnprintf, which expands; see README,
#     "Packed message texts"): a new one fails here until it is audited;
#   - the dictionary: at most 128 fragments, each 2 bytes or more, without
#     '%', NUL or bytes >= 0x80; two runs give the same output;
#   - it refuses a literal holding a byte >= 0x80, and leaves alone literals
#     that are indexed, offset, cast, passed to other functions or sizeof'd.
# Prints "ok - msg-pack: ..." / "not ok - msg-pack: ...".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CROSS=aarch64-linux-gnu-

awk '/^CONFIG_[A-Z0-9_]*=/ { split($0, kv, "="); v = kv[2]; if (v == "y") v = 1;
	print "#define " kv[1] " " v }' "$top/defconfig" >"$tmp/autoconf.h"

python3 - "$top" "$tmp" "$CROSS" <<'EOF'
import glob, importlib.machinery, importlib.util, os, re, subprocess, sys

top, tmp, cross = sys.argv[1:4]
failed = False


def ok(msg):
    print("ok - msg-pack: " + msg)


def nok(msg):
    global failed
    failed = True
    print("not ok - msg-pack: " + msg)


loader = importlib.machinery.SourceFileLoader("msgpack", os.path.join(top, "scripts/msg-pack"))
spec = importlib.util.spec_from_loader("msgpack", loader)
mp = importlib.util.module_from_spec(spec)
loader.exec_module(mp)

srcs = sorted(os.path.relpath(p, top) for p in
              glob.glob(os.path.join(top, "hypervisor/core/*.c")) +
              glob.glob(os.path.join(top, "hypervisor/arch/arm64/*.c")))
srcs = [s for s in srcs if not s.endswith("asm-offsets.c")] + ["common/config-check.c"]


def run_pack(out):
    return subprocess.run([sys.executable, os.path.join(top, "scripts/msg-pack"), "--top", top,
                           "--out", out, "--stats"] + srcs, capture_output=True, text=True)


r = run_pack(os.path.join(tmp, "a"))
if r.returncode != 0:
    nok("scripts/msg-pack failed: " + r.stderr.strip())
    sys.exit(1)
ok(r.stdout.splitlines()[1])
r2 = run_pack(os.path.join(tmp, "b"))
same = r2.returncode == 0 and all(
    open(os.path.join(tmp, "a", f), "rb").read() == open(os.path.join(tmp, "b", f), "rb").read()
    for f in srcs + ["msg-dict.c"])
(ok if same else nok)("two runs write the same copies and dictionary")

# The dictionary, read back from the generated C like the compiler would.
dsrc = open(os.path.join(tmp, "a", "msg-dict.c")).read()
blob = b"".join(bytes(u[0] for u in mp.literal_units(t.text))
                for t in mp.lex(dsrc) if t.kind == "str")
frags = blob.split(b"\0")
assert frags[-1] == b"", frags[-3:]
frags = frags[:-1]
# A fragment may hold tokens, only of fragments before it (no cycle), and
# expands to at most MAX_DEPTH levels.
bad = [f for k, f in enumerate(frags)
       if len(f) < 2 or b"%" in f or any(b >= 0x80 + k for b in f)]
deep = [f for f in frags if mp.decode(f, frags, 1) != mp.decode(f, frags, 1 - mp.MAX_DEPTH)]
if len(frags) <= 128 and not bad and not deep:
    ok("dictionary of %d fragments, %d bytes, none with %%, NUL or a token not before it, "
       "none deeper than %d levels" % (len(frags), len(blob), mp.MAX_DEPTH))
else:
    nok("dictionary: %d fragments, bad ones: %r, too deep: %r" % (len(frags), bad[:5], deep[:5]))


def literal_bytes(text):
    return bytes(u[0] for u in mp.literal_units(text))


# Round trip of every literal of the packed files.
nlit = npacked = 0
problems = []
for s in srcs:
    orig = open(os.path.join(top, s)).read()
    packed = open(os.path.join(tmp, "a", s)).read()
    first, rest = packed.split("\n", 1)
    if first != '#line 1 "%s"' % os.path.join(top, s):
        problems.append("%s: first line %r" % (s, first))
    a, b = mp.lex(orig), mp.lex(rest)
    if len(a) != len(b):
        problems.append("%s: %d tokens, packed %d" % (s, len(a), len(b)))
        continue
    if orig.count("\n") != rest.count("\n"):
        problems.append("%s: line count changed" % s)
    for x, y in zip(a, b):
        if x.kind != y.kind:
            problems.append("%s: token %r became %r" % (s, x.text, y.text))
        elif x.kind != "str":
            if x.text != y.text:
                problems.append("%s: token %r became %r" % (s, x.text, y.text))
        else:
            nlit += 1
            if x.text != y.text:
                npacked += 1
            if mp.decode(literal_bytes(y.text), frags) != literal_bytes(x.text):
                problems.append("%s: %s does not decode to itself" % (s, x.text[:50]))
if problems:
    nok("round trip: " + "; ".join(problems[:5]))
else:
    ok("round trip: all %d literals of %d files decode to the original (%d packed), "
       "the other tokens and the line numbers are unchanged" % (nlit, len(srcs), npacked))

# Every literal of the tree through the encoder alone: escapes of all kinds.
frag_map = {f: 0x80 + k for k, f in enumerate(frags)}
count, wrong = 0, []
for path in sorted(glob.glob(os.path.join(top, "**/*.[ch]"), recursive=True)):
    if "/.cache/" in path or "/out/" in path:
        continue
    try:
        toks = mp.lex(open(path, encoding="utf-8", errors="strict").read(), path)
    except (mp.PackError, UnicodeDecodeError, ValueError):
        continue
    for t in toks:
        if t.kind != "str":
            continue
        try:
            units = mp.literal_units(t.text)
        except mp.PackError:
            continue
        body, _ = mp.encode(units, frag_map)
        want = bytes(u[0] for u in units)
        if any(b >= 0x80 for b in want):
            continue  # refused in the packed files (above, and the case below)
        count += 1
        if mp.decode(literal_bytes('"' + body + '"'), frags) != want:
            wrong.append("%s: %s" % (os.path.relpath(path, top), t.text[:40]))
(nok if wrong or count < 2000 else ok)(
    "encode/decode round trip of %d literals of the whole tree%s"
    % (count, (": " + "; ".join(wrong[:3])) if wrong else ""))

# Preprocessed: same tokens, same conversion specifications.
conv = re.compile(rb"%[-+ #0]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?(?:hh|h|ll|l|z|j|t|L)?.?", re.S)
flags = ["-std=gnu11", "-E", "-P", "-ffreestanding", "-D__WARDEN_FREESTANDING__", "-nostdinc",
         "-isystem", subprocess.run([cross + "gcc", "-print-file-name=include"],
                                    capture_output=True, text=True).stdout.strip(),
         "-include", os.path.join(tmp, "autoconf.h"),
         "-include", os.path.join(top, "hypervisor/include/wd/visibility.h"),
         "-I" + os.path.join(top, "hypervisor/include"),
         "-I" + os.path.join(top, "hypervisor/arch/arm64/include"),
         "-I" + os.path.join(top, "include"), "-I" + os.path.join(tmp, "gen")]
os.makedirs(os.path.join(tmp, "gen/generated"), exist_ok=True)
# asm-offsets.h is made by the build; an empty one does for the preprocessor.
open(os.path.join(tmp, "gen/generated/asm-offsets.h"), "w").close()


def strings(toks):
    """(non-literal tokens, joined strings) of a preprocessed file."""
    other, strs, cur = [], [], None
    for t in toks:
        if t.kind == "str":
            cur = (cur or b"") + literal_bytes(t.text)
            continue
        if cur is not None:
            strs.append(cur)
            cur = None
        if t.kind != "pp":
            other.append(t.text)
    if cur is not None:
        strs.append(cur)
    return other, strs


pre_problems, nstr = [], 0
for s in srcs:
    d = os.path.dirname(os.path.join(top, s))
    outs = []
    for f in (os.path.join(top, s), os.path.join(tmp, "a", s)):
        r = subprocess.run([cross + "gcc"] + flags + ["-iquote", d, f],
                           capture_output=True, text=True)
        if r.returncode:
            pre_problems.append("%s: gcc -E: %s" % (s, r.stderr.strip()[:200]))
            break
        outs.append(strings(mp.lex(r.stdout)))
    if len(outs) != 2:
        continue
    (oa, sa), (ob, sb) = outs
    if oa != ob or len(sa) != len(sb):
        pre_problems.append("%s: the preprocessed tokens differ" % s)
        continue
    for x, y in zip(sa, sb):
        nstr += 1
        if [m.group() for m in conv.finditer(x)] != [m.group() for m in conv.finditer(y)]:
            pre_problems.append("%s: %r and %r convert differently" % (s, x[:40], y[:40]))
        if mp.decode(y, frags) != x:
            pre_problems.append("%s: %r does not decode to %r" % (s, y[:40], x[:40]))
if pre_problems:
    nok("preprocessed: " + "; ".join(pre_problems[:4]))
else:
    ok("preprocessed: %d files, same tokens, %d strings with the same conversion "
       "specifications that decode to the original" % (len(srcs), nstr))

# The printf-like calls are the audited ones.
# refuse_code, refuse_code0 (behind the refuse() macro) and view_refuse_code
# (behind view_refuse()) format through vsnprintf into the reason line only.
audited = {"printk": 0, "snprintf": 2, "refuse": 4, "view_refuse": 5, "ck_report": 2,
           "CK_ERR": 3, "CK_WARN": 2, "pr_err": 0, "pr_info": 0, "MSG_TEXT": 0,
           "refuse_code": 2, "refuse_code0": 1, "view_refuse_code": 3}
found, _ = mp.analyse(top, srcs)
if found == audited:
    ok("the printf-like calls are the audited ones: " + ", ".join(sorted(found)))
else:
    nok("printf-like calls changed: found %r, audited %r (audit each new one: does it "
        "print through vsnprintf only? then add it here)" % (found, audited))

# Refusals and literals left alone, on small files of our own.
case = os.path.join(tmp, "case")
os.makedirs(case + "/hypervisor/core", exist_ok=True)


def pack_case(text):
    with open(case + "/hypervisor/core/x.c", "w") as fh:
        fh.write(text)
    r = subprocess.run([sys.executable, os.path.join(top, "scripts/msg-pack"), "--top", case,
                        "--out", case + "/out", "hypervisor/core/x.c"],
                       capture_output=True, text=True)
    out = None
    if r.returncode == 0:
        out = open(case + "/out/hypervisor/core/x.c").read().split("\n", 1)[1]
    return r, out


msg = "the memory region of the cell is not in the memory region of the root cell"
r, _ = pack_case('void f(void) { printk("caf\\xe9 %s", "x"); }\n')
(ok if r.returncode and "0x80" in r.stderr else nok)(
    "a literal with a byte >= 0x80 is refused: " + (r.stderr.strip() or "it was not"))
r, _ = pack_case('void f(void) { printk("caf\u00e9"); }\n')
(ok if r.returncode else nok)("a literal with UTF-8 text is refused")

decls = "void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));\n" \
        "int refuse(int e, int k, int o, int a, const char *fmt, ...) " \
        "__attribute__((format(printf, 5, 6)));\n#define M \"x\"\n" \
        "#define MSG_TEXT(text)\ttext\n" \
        "#define LOG(fmt, ...) printk(fmt, ##__VA_ARGS__)\n" \
        "#define LOG_KEEP(fmt, ...) do { printk(fmt, ##__VA_ARGS__); keep(fmt); } while (0)\n" \
        "#define N 1 /* it's a comment\n over two lines */\n#if 0\n#error don't\n#endif\n" \
        "// printk(\"in a comment\");\n"
left_alone = ['printk("%c", "@"[i]);', 'printk("%s", "@" + 1);', 'printk("%zu", sizeof("@"));',
              'printk("%s", (const char *)"@");', 'printk("%d", strcmp(a, "@"));',
              'x = "@";', 'printk("%s", (*fp)("@"));', 'asm volatile("@");',
              '_Static_assert(1, "@");', 'static const char s[] = "@";',
              'refuse(-1, 0, 0, "@", "%s", a);', 'printk("%s", f("@"));',
              'printk("%d", (c ? "@" : "x") == p);', 'ops->printk("@");', 'o.printk("@");',
              'c = MSG_TEXT("@")[0];', 'p = 1 + MSG_TEXT("@");', 'p = MSG_TEXT("@") + 1;',
              'LOG_KEEP("@");']
packed = ['printk("@ %s" "@", c ? "@" : "@");', 'refuse(-1, 0, 0, 0, "@");',
          'printk(M "@" M, (("@")));', 'printk("%s %u", "@", 7u);',
          'r->why = c ? MSG_TEXT("@") : MSG_TEXT("@");',
          'static const char *const t[] = { MSG_TEXT("@"), MSG_TEXT("@") };',
          'LOG("%s", "@");']
body = "".join("void f%d(void) { %s }\n" % (k, c.replace("@", msg))
               for k, c in enumerate(left_alone + packed))
r, out = pack_case(decls + body)
if r.returncode:
    nok("test file not packed: " + r.stderr.strip())
else:
    lines = out.splitlines()[decls.count("\n"):]
    kept = [l for l in lines[:len(left_alone)] if l.count(msg) == 1]
    # Each packed literal holds a token at least (the dictionary may make
    # the whole text one token whose fragment holds others).
    done = [l for l, c in zip(lines[len(left_alone):], packed)
            if msg not in l and l.count("\\2") >= c.count("@")]
    if len(kept) == len(left_alone) and len(done) == len(packed):
        ok("literals indexed, offset, sizeof'd, cast, compared, passed to other calls or "
           "through pointers, assigned, before the format, in asm, _Static_assert or arrays "
           "(unless marked MSG_TEXT, and then not indexed or offset), given to a macro that "
           "also uses them otherwise "
           "are left alone (comments and directives skipped); formats, "
           "?: branches, string macro runs, %s arguments and MSG_TEXT values are packed")
    else:
        nok("left alone: %d of %d, packed: %d of %d:\n# %s" %
            (len(kept), len(left_alone), len(done), len(packed), "\n# ".join(lines)))

# Octal escapes: a token followed by digits stays one byte.
r, out = pack_case(decls + 'void f(void) { printk("%s0123 %s7"); }\n' % (msg, msg))
cdict = open(case + "/out/msg-dict.c").read() if out else ""
cfr = b"".join(literal_bytes(t.text) for t in mp.lex(cdict) if t.kind == "str").split(b"\0")[:-1]
lits = [t for t in mp.lex(out or "") if t.kind == "str" and "\\2" in t.text]
if lits and mp.decode(literal_bytes(lits[0].text), cfr) == (msg + "0123 " + msg + "7").encode():
    ok("a token followed by digits decodes to the original (octal escapes): " + lits[0].text)
else:
    nok("a token followed by digits: %s" % (lits[0].text if lits else out))

sys.exit(1 if failed else 0)
EOF
