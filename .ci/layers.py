#!/usr/bin/env python3
"""The library's layers import only downwards, and no two files import each other.

Layers, bottom to top (a module may use its own layer and any below it):
  units, references, stats, random, sensitivity, evidence -> model -> treatment -> scenario -> record -> sim
  -> jobs -> experiment -> validation -> calibration -> render
The binary (src/main.rs, src/cli/) sits on top and is not checked here.

A reference is any `crate::X` path outside a comment. Between files, a reference to
`crate::a::b` (or `super::b`) is an edge to the file that defines module `a::b`; a cycle
of such edges is an import loop, except that a module's own `mod.rs` (its facade) may be
used by the files below it. Unit-test modules are not checked.
"""
import os
import re
import sys

LAYERS = [
    {"units", "references", "stats", "random", "sensitivity", "evidence"},
    {"model"},
    {"treatment"},
    {"scenario"},
    {"record"},
    {"sim"},
    {"jobs"},
    {"experiment"},
    {"validation"},
    {"calibration"},
    {"render"},
]
RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}
BINARY = {"cli", "main"}

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
root = os.path.normpath(root)


def module_path(path):
    """src/a/b.rs -> ['a', 'b']; src/a/mod.rs -> ['a']; src/lib.rs -> []."""
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib"):
        rel = rel[:-1]
    return rel


def strip_comments(text):
    # Unit tests (a `#[cfg(test)] mod` at the end of a file) may use anything.
    text = re.split(r"#\[cfg\(test\)\]\s*mod ", text)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"//.*", "", line) for line in text.splitlines())


files = {}
for dirpath, _, names in os.walk(root):
    for name in names:
        if name.endswith(".rs"):
            path = os.path.join(dirpath, name)
            files[tuple(module_path(path))] = path

problems = []
edges = {}
for mod, path in sorted(files.items()):
    if not mod or mod[0] in BINARY:
        continue
    top = mod[0]
    if top not in RANK:
        problems.append(f"{path}: module `{top}` is in no layer (add it to .ci/layers.py)")
        continue
    with open(path, encoding="utf-8") as f:
        text = strip_comments(f.read())
    targets = set()
    # crate::a::b::c and `use crate::a::{b, c::d}` (first two segments are enough).
    for m in re.finditer(r"\bcrate::([a-z_][a-z0-9_]*)(?:::(\{[^}]*\}|[a-z_][a-z0-9_]*))?", text):
        first, second = m.group(1), m.group(2)
        if first in BINARY:
            problems.append(f"{path}: uses the binary's `crate::{first}`")
            continue
        if first not in RANK:
            continue
        if RANK[first] > RANK[top]:
            problems.append(
                f"{path}: layer `{top}` uses `crate::{first}`, which is above it")
        seconds = []
        if second and second.startswith("{"):
            seconds = [s.strip().split("::")[0] for s in second[1:-1].split(",") if s.strip()]
        elif second:
            seconds = [second]
        for s in seconds or [None]:
            cand = (first, s) if s else (first,)
            targets.add(cand if cand in files else (first,))
    for m in re.finditer(r"\bsuper::([a-z_][a-z0-9_]*)", text):
        parent = mod[:-1] if os.path.basename(path) not in ("mod.rs",) else mod[:-1]
        cand = tuple(parent) + (m.group(1),)
        targets.add(cand if cand in files else tuple(parent))
    edges[mod] = {t for t in targets if t in files and t != mod}

# A file may use the facade (mod.rs) of a module that contains it.
def allowed(src, dst):
    return len(dst) < len(src) and src[: len(dst)] == dst

graph = {a: {b for b in bs if not allowed(a, b)} for a, bs in edges.items()}

# Tarjan's strongly connected components.
index, low, on, stack, sccs = {}, {}, set(), [], []
counter = [0]
sys.setrecursionlimit(10000)

def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in graph.get(v, ()):
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
            sccs.append(comp)

for v in sorted(graph):
    if v not in index:
        visit(v)
for comp in sccs:
    names = ", ".join(sorted(files[c].replace(root + os.sep, "src/") for c in comp))
    problems.append(f"import loop between files: {names}")

for p in problems:
    print(p.replace(root + os.sep, "src/"))
if problems:
    print(f"{len(problems)} layer problem(s)", file=sys.stderr)
    sys.exit(1)
print("layers: every file imports only its own layer or those below; no import loops")
