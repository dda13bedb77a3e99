"""Check questions/coding-numpy.yaml without the numpy judge (which lands separately).

    OPENBLAS_NUM_THREADS=1 .venv/bin/python tools/check_numpy_pack.py [--mutants] [--jobs N] [QID...]

1. Shape of the pack: every question has `requires: [numpy]`, the import sentence, shapes
   in the prompt, >= 3 examples, >= 12 hidden tests, 1-2 hints, tags, a budget, a
   starter defining the function, `arguments` naming the reference's parameters in order.
2. The reference passes every example, test and tests_file case (run as an answer is
   run: its source exec'd fresh, arguments built from the case as the format says, the
   result turned into plain data and compared with the question's tolerances), in a
   forked child under the question's time limit and a 512 MB address-space limit.
3. The independent implementation in tests/fixtures/independent/coding-numpy passes too.
4. Every wrong variant in tools/numpy_wrong_variants.py fails at least one hidden case.
5. Gradients that a question asks for agree with central finite differences.
6. With --mutants: every mutant of each reference (drill's own operators, plus the numpy
   ones the audit is getting: sum/mean, max/min, argmax/argmin, maximum/minimum, dropped
   keyword arguments such as axis=/keepdims=/ddof=, any dropped statement) runs on the
   hidden cases; the kill rate must reach 0.9.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import resource
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import numpy_pack_kit as kit
from numpy_wrong_variants import WRONG

from drill.packs.mutate import mutants as drill_mutants

ROOT = kit.ROOT
SOLUTIONS = ROOT / "solutions" / "coding"
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent" / "coding-numpy"
IMPORT_LINE = "You may use numpy (imported as np); no other third-party packages."
MINUTES = {"easy": (10, 15), "medium": (20, 30), "hard": (35, 45)}
MEMORY = 512 << 20


# ------------------------------------------------------------------ isolated runs


def run_isolated(source: str, q: dict, cases: list[dict], seconds: float,
                 stop_at_first: bool = True) -> tuple[str, list[tuple[str, str]], float]:
    """Run `source` on `cases` in a forked child (fresh namespace, memory limit, timeout).

    Returns (status, failures, seconds): status is "ok", "fail", "timeout" or "crash";
    failures lists (case name, why)."""
    r, w = os.pipe()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
            out = []
            ns: dict = {"__name__": "answer"}
            try:
                exec(compile(source, "answer.py", "exec"), ns)
                fn = ns[q["function"]]
            except BaseException as exc:  # the answer failed to load
                out.append(("<load>", f"{type(exc).__name__}: {exc}"))
                fn = None
            if fn is not None:
                for case in cases:
                    ok, why = kit.run_case(fn, q, case)
                    if not ok:
                        out.append((case.get("name", "?"), why[:300]))
                        if stop_at_first:
                            break
            os.write(w, repr(out).encode()[:60000])
        finally:
            os._exit(0)
    os.close(w)
    deadline = t0 + seconds
    status = None
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            status = "timeout"
            break
        time.sleep(0.002)
    elapsed = time.perf_counter() - t0
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    if status == "timeout":
        return "timeout", [("<all>", f"over {seconds:.2f} s")], elapsed
    if not data:
        return "crash", [("<all>", "child died (memory limit?)")], elapsed
    fails = ast.literal_eval(data.decode())
    return ("fail" if fails else "ok"), fails, elapsed


# ------------------------------------------------------------------ numpy mutants

NAME_SWAPS = {"sum": "mean", "mean": "sum", "max": "min", "min": "max", "argmax": "argmin",
              "argmin": "argmax", "maximum": "minimum", "minimum": "maximum", "cumsum": "sum",
              "var": "std", "std": "var", "nanmax": "nanmin", "nanmin": "nanmax"}
DROPPABLE_KEYWORDS = {"axis", "keepdims", "ddof", "initial", "kind", "minlength", "weights",
                      "full_matrices", "k", "dtype", "side"}


def numpy_mutants(source: str) -> list[tuple[str, str]]:
    """(id, source) for numpy-aware edits that drill's mutate module does not make yet."""
    tree = ast.parse(source)
    original = ast.unparse(tree)
    seen = {original}
    out: list[tuple[str, str]] = []

    def emit(op: str, node: ast.AST, mutated: ast.AST) -> None:
        ast.fix_missing_locations(mutated)
        text = ast.unparse(mutated)
        if text in seen:
            return
        try:
            compile(text, "m", "exec")
        except SyntaxError:
            return
        seen.add(text)
        out.append((f"{op}@{node.lineno}:{node.col_offset + 1}", text))

    nodes = list(ast.walk(tree))
    for i, node in enumerate(nodes):
        if isinstance(node, ast.Attribute) and node.attr in NAME_SWAPS and isinstance(node.ctx, ast.Load):
            m = copy.deepcopy(tree)
            list(ast.walk(m))[i].attr = NAME_SWAPS[node.attr]
            emit(f"{node.attr}-{NAME_SWAPS[node.attr]}", node, m)
        if isinstance(node, ast.Call):
            for j, kw in enumerate(node.keywords):
                if kw.arg in DROPPABLE_KEYWORDS:
                    m = copy.deepcopy(tree)
                    del list(ast.walk(m))[i].keywords[j]
                    emit(f"drop-kw-{kw.arg}", node, m)
        for field in ("body", "orelse"):
            stmts = getattr(node, field, None)
            if not isinstance(stmts, list) or isinstance(node, (ast.Module, ast.ClassDef)):
                continue
            for j, st in enumerate(stmts):
                if isinstance(st, (ast.Assign, ast.AugAssign, ast.Expr, ast.With, ast.If)) and not (
                        isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant)):
                    m = copy.deepcopy(tree)
                    getattr(list(ast.walk(m))[i], field)[j] = ast.Pass()
                    emit("drop-any-stmt", st, m)
    return out


def all_mutants(source: str) -> list[tuple[str, str, str]]:
    """(id, kind, source): drill's operators, then the numpy ones."""
    found = [(m.id, "drill", m.source) for m in drill_mutants(source)]
    seen = {s for _, _, s in found}
    for mid, text in numpy_mutants(source):
        if text not in seen:
            seen.add(text)
            found.append((mid, "numpy", text))
    return found


def one_line_diff(source: str, mutated: str) -> str:
    a = ast.unparse(ast.parse(source)).splitlines()
    b = mutated.splitlines()
    for x, y in zip(a, b, strict=False):  # a dropped statement shortens b
        if x != y:
            return f"{x.strip()}  ->  {y.strip()}"
    return f"(length {len(a)} -> {len(b)})"


# ------------------------------------------------------------------ checks


def shape_problems(q: dict) -> list[str]:
    import inspect

    out = []
    qid = q["id"]
    if q.get("requires") != ["numpy"]:
        out.append("requires is not [numpy]")
    if IMPORT_LINE not in q["prompt"]:
        out.append("prompt lacks the import sentence")
    if "shape" not in q["prompt"] or "float64" not in q["prompt"]:
        out.append("prompt does not state shapes and dtypes")
    if len(q.get("examples", [])) < 3 or len(q.get("tests", [])) < 12:
        out.append(f"{len(q.get('examples', []))} examples, {len(q.get('tests', []))} tests")
    if not 1 <= len(q.get("hints", [])) <= 2 or not q.get("tags"):
        out.append("hints/tags")
    lo, hi = MINUTES[q["difficulty"]]
    if not lo <= q["minutes"] <= hi:
        out.append(f"minutes {q['minutes']} outside {lo}-{hi} for {q['difficulty']}")
    if f"def {q['function']}(" not in q["starter"]:
        out.append("starter does not define the function")
    if q.get("solution") != f"../solutions/coding/{qid}.py":
        out.append("solution path")
    ref = kit.load_function(SOLUTIONS / f"{qid}.py", q["function"])
    params = list(inspect.signature(ref).parameters)
    if list(q["arguments"]) != params:
        out.append(f"arguments {list(q['arguments'])} != reference parameters {params}")
    ns: dict = {}
    exec(q["starter"], ns)
    sparams = list(inspect.signature(ns[q["function"]]).parameters)
    if sparams != params:
        out.append(f"starter parameters {sparams} != {params}")
    return out


def fd_checks() -> list[str]:
    """Finite-difference checks of the gradients the questions define."""
    problems = []
    r = np.random.default_rng(7)
    sm = kit.load_function(SOLUTIONS / "softmax-xent-grad.py", "softmax_cross_entropy")
    logits, labels = r.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    _, grad = sm(logits, labels)
    num = np.zeros_like(logits)
    for idx in np.ndindex(*logits.shape):
        e = np.zeros_like(logits)
        e[idx] = 1e-6
        num[idx] = (sm(logits + e, labels)[0] - sm(logits - e, labels)[0]) / 2e-6
    if not np.allclose(grad, num, atol=1e-7):
        problems.append(f"softmax-xent-grad: gradient off by {np.abs(grad - num).max()}")

    mlp = kit.load_function(SOLUTIONS / "mlp-backprop-step.py", "mlp_step")
    X, y = r.normal(size=(6, 3)), (r.random(6) < 0.5).astype(float)
    params = {"W1": r.normal(size=(3, 4)), "b1": r.normal(size=4), "W2": r.normal(size=(4, 1)), "b2": r.normal(size=1)}
    got = mlp(X, y, **params)
    for name, value in params.items():
        num = np.zeros_like(value)
        for idx in np.ndindex(*value.shape):
            up = {k: v.copy() for k, v in params.items()}
            dn = {k: v.copy() for k, v in params.items()}
            up[name][idx] += 1e-6
            dn[name][idx] -= 1e-6
            num[idx] = (mlp(X, y, **up)["loss"] - mlp(X, y, **dn)["loss"]) / 2e-6
        if got["d" + name].shape != value.shape or not np.allclose(got["d" + name], num, atol=1e-7):
            problems.append(f"mlp-backprop-step: d{name} off by {np.abs(got['d' + name] - num).max()}")

    # logistic regression: one step from zero with lr = 1 moves by minus the gradient of J
    lr = kit.load_function(SOLUTIONS / "logreg-gd-l2.py", "train_logistic_l2")
    X, y = r.normal(size=(7, 3)), (r.random(7) < 0.5).astype(np.int64)
    w0 = r.normal(size=3)

    def J(w, b, l2=0.3):
        z = X @ w + b
        return np.mean(np.logaddexp(0, z) - y * z) + l2 / 2 * w @ w

    w1, b1 = lr(X, y, 1.0, 0.3, 1)
    gw = np.array([(J(np.eye(3)[j] * 1e-6, 0.0) - J(-np.eye(3)[j] * 1e-6, 0.0)) / 2e-6 for j in range(3)])
    gb = (J(np.zeros(3), 1e-6) - J(np.zeros(3), -1e-6)) / 2e-6
    if not (np.allclose(w1, -gw, atol=1e-7) and abs(b1 + gb) < 1e-7):
        problems.append("logreg-gd-l2: first step is not minus the gradient of J")
    del w0
    return problems


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("qids", nargs="*")
    ap.add_argument("--mutants", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--min-kill", type=float, default=0.9)
    ap.add_argument("--show-survivors", action="store_true")
    opts = ap.parse_args()
    pack = kit.load_pack()
    qs = kit.questions(pack)
    problems: list[str] = []
    if pack.get("pack") != "coding-numpy" or pack.get("format") != 1:
        problems.append("pack id / format")
    ids = opts.qids or list(qs)
    rows = []
    for qid in ids:
        q = qs[qid]
        problems += [f"{qid}: {p}" for p in shape_problems(q)]
        visible = list(q["examples"])
        hidden = kit.hidden_cases(q)
        limit = float((q.get("limits") or {}).get("seconds", 2.0))
        ref_src = (SOLUTIONS / f"{qid}.py").read_text(encoding="utf-8")
        # per-case timing of the reference (the judge limits each case)
        worst = 0.0
        for case in visible + hidden:
            status, fails, secs = run_isolated(ref_src, q, [case], limit + 1.0)
            worst = max(worst, secs)
            if status != "ok":
                problems.append(f"{qid}: reference {status} on {fails}")
            if secs > limit / 4:
                problems.append(f"{qid}/{case.get('name')}: reference takes {secs:.2f} s of {limit} s")
        ind_src = (INDEPENDENT / f"{qid}.py").read_text(encoding="utf-8")
        status, fails, _ = run_isolated(ind_src, q, visible + hidden, 60.0, stop_at_first=False)
        if status != "ok":
            problems.append(f"{qid}: independent implementation {status}: {fails[:2]}")
        caught = 0
        for name, src in WRONG.get(qid, {}).items():
            st, fails, _ = run_isolated(src, q, hidden, limit * 3)
            if st == "ok":
                problems.append(f"{qid}: wrong variant {name} passes every hidden case")
            else:
                caught += 1
                if opts.show_survivors:
                    print(f"  {qid}: {name} caught by {fails[0][0]} ({st}): {fails[0][1][:120]}")
        row = {"qid": qid, "examples": len(visible), "tests": len(q["tests"]),
               "large": len(hidden) - len(q["tests"]), "ref_worst_s": worst,
               "wrong": f"{caught}/{len(WRONG.get(qid, {}))}"}
        if opts.mutants:
            budget = min(limit, 10 * worst + 0.5) * 1.5 + 0.5 * len(hidden)
            muts = all_mutants(ref_src)
            # hidden cases quickest first, as the audit orders them
            with ThreadPoolExecutor(opts.jobs) as pool:
                results = list(pool.map(run_isolated, [m[2] for m in muts], [q] * len(muts),
                                        [hidden] * len(muts), [budget] * len(muts)))
            killed = [st != "ok" for st, _, _ in results]
            survivors = [(mid, kind) for (mid, kind, _), k in zip(muts, killed, strict=True) if not k]
            drill_total = sum(1 for _, kind, _ in muts if kind == "drill")
            drill_killed = sum(k for (_, kind, _), k in zip(muts, killed, strict=True) if kind == "drill")
            row.update(mutants=len(muts), killed=sum(killed), kill_rate=sum(killed) / max(len(muts), 1),
                       drill_rate=f"{drill_killed}/{drill_total}", survivors=survivors)
            if row["kill_rate"] < opts.min_kill:
                problems.append(f"{qid}: kill rate {row['kill_rate']:.2f}")
            if opts.show_survivors:
                for (mid, kind, text), k in zip(muts, killed, strict=True):
                    if not k:
                        print(f"  {qid} survivor {mid} ({kind}): {one_line_diff(ref_src, text)}")
        rows.append(row)
        print(row, flush=True)
    problems += fd_checks()
    if problems:
        print("\nPROBLEMS:\n" + "\n".join(problems))
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
