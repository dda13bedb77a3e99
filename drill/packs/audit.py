"""`drill packs audit`: do the references pass, and do the hidden tests kill mutants of them?

A judge is only as strong as its hidden tests. For every code and sql question the
reference solution must pass its examples and hidden tests; with mutants, each small
edit of a Python reference (drill.packs.mutate) must fail at least one hidden test. A mutant
that survives is either a gap in the tests or an equivalent program, which the pack marks
in `equivalent_mutants` (with a comment saying why).

A `model` (take-home) question is held to three measured checks: its reference reaches
the target within the margin, its `leaky_solution` falls short of `target - margin`, and a
constant score does no better than the baseline (each side of a threshold, for a cost at
a threshold). The references run in the judge's sandbox like any answer.
"""

from __future__ import annotations

import difflib
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from drill.errors import InputError, PackInvalid
from drill.packs.catalog import Loaded, load_catalog, pack_files
from drill.plainclass import replace

DEFAULT_MIN_KILL = 0.9
# A mutant gets this many times the reference's slowest hidden case, plus a grace, and
# never more than the question's own limit: a mutant that loops forever costs little.
MUTANT_TIME_FACTOR = 10.0
MUTANT_TIME_GRACE = 0.5
QUICK_CASE_SECONDS = 0.02  # cases the reference answers within this run first, under a tight limit
# bench/audit_speed.py on 2 cores, built-in packs: resource limits alone are 20% faster than
# bubblewrap at 2 jobs (41 s against 51 s) and 6% at 4. A pack's references come from
# whoever wrote the pack, so the audit isolates them as `drill check` does answers.
DEFAULT_SANDBOX = "auto"

Progress = Callable[[int, int], None]


@dataclass
class Survivor:
    id: str
    diff: str


@dataclass
class QuestionAudit:
    uid: str
    kind: str
    reference: str  # passed | failed | missing | unavailable
    detail: str = ""  # why the reference failed, or what it needs
    mutated: bool = False
    mutants: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[Survivor] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)  # equivalent marks without a comment
    seconds: float = 0.0
    # `model` questions: the measured checks (reference, leaky, constant), each a dict with
    # check, value, want, ok, detail; and the question's bar.
    checks: list[dict] = field(default_factory=list)
    bar: dict = field(default_factory=dict)

    @property
    def checks_ok(self) -> bool:
        return all(c["ok"] for c in self.checks)

    @property
    def kill_rate(self) -> float | None:
        if not self.mutated:
            return None
        counted = self.mutants - self.equivalent
        return self.killed / counted if counted else 1.0

    def ok(self, min_kill: float) -> bool:
        rate = self.kill_rate
        return (self.reference != "failed" and not self.unexplained and self.checks_ok
                and (rate is None or rate >= min_kill))

    def to_json(self) -> dict:
        rate = self.kill_rate
        return {
            "uid": self.uid, "kind": self.kind, "reference": self.reference, "detail": self.detail,
            "mutants": self.mutants, "killed": self.killed, "equivalent": self.equivalent,
            "kill_rate": None if rate is None else round(rate, 4),
            "survivors": [{"id": s.id, "diff": s.diff} for s in self.survivors],
            "warnings": self.warnings, "unexplained_marks": self.unexplained,
            **({"model": {**self.bar, "checks": self.checks}} if self.kind == "model" else {}),
        }


@dataclass
class PackAudit:
    pack: str
    path: str
    questions: list[QuestionAudit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # validation problems: nothing was run


@dataclass
class AuditResult:
    packs: list[PackAudit]
    min_kill: float
    with_mutants: bool
    sandbox: str
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # e.g. an argument read as a pack id, not a folder

    @property
    def nothing_audited(self) -> str | None:
        """Why the audit checked nothing (it then fails), or None. Invalid packs fail anyway."""
        if any(p.problems for p in self.packs):
            return None
        qs = [q for p in self.packs for q in p.questions]
        if not qs:
            return "nothing to audit: no code or sql questions, nor take-homes"
        if not any(q.reference in ("passed", "failed") for q in qs):
            missing = sum(q.reference == "missing" for q in qs)
            unavailable = len(qs) - missing
            why = [f"{missing} without a reference solution"] if missing else []
            why += [f"{unavailable} needing modules this Python lacks"] if unavailable else []
            return f"nothing audited: no reference solution ran ({', '.join(why)})"
        if self.with_mutants and not any(q.mutants for q in qs):
            return "no mutants were made: no code question has a Python reference that passed"
        return None

    @property
    def ok(self) -> bool:
        return self.nothing_audited is None and all(
            not p.problems and all(q.ok(self.min_kill) for q in p.questions) for p in self.packs)

    def to_json(self) -> dict:
        return {
            "packs": [{"pack": p.pack, "path": p.path, "problems": p.problems,
                       "questions": [q.to_json() for q in p.questions]} for p in self.packs],
            "min_kill": self.min_kill, "mutants": self.with_mutants, "sandbox": self.sandbox,
            "seconds": round(self.seconds, 2), "ok": self.ok,
            "nothing_audited": self.nothing_audited, "notes": self.notes,
        }


# ------------------------------------------------------------------ targets


_PACK_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # as drill.packs.model.SLUG_RE


def resolve_targets(targets: list[str], notes: list[str] | None = None) -> list[Path]:
    """Pack files for each argument. A bare word that names a known pack means that pack;
    a path is written with a slash, or exists and is no pack's id. When a bare word is
    both, the pack wins and a note in `notes` says so."""
    files: list[Path] = []
    catalog = None
    for target in targets:
        path = Path(target).expanduser()
        info = None
        if _PACK_ID.match(target):
            if catalog is None:
                catalog = load_catalog()
            info = next((p for p in catalog.packs if p.id == target), None)
        if info is not None:
            if path.exists() and notes is not None:
                what = "folder" if path.is_dir() else "file"
                notes.append(f"'{target}' is both a pack id and a {what} here: auditing the pack "
                             f"'{target}' ({info.path}); write ./{target} for the {what}")
            files.append(Path(info.path))
            continue
        if path.exists():
            found = pack_files(path)
            if not found:
                raise InputError(f"'{target}' holds no .yaml pack files")
            files += found
            continue
        if os.sep in target or "/" in target or target.endswith((".yaml", ".yml")):
            raise InputError(f"no such pack file or folder: '{target}'")
        if catalog is None:
            catalog = load_catalog()
        close = difflib.get_close_matches(target, [p.id for p in catalog.packs], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise InputError(f"no pack id or path '{target}'{hint}; see `drill packs list`")
    unique: dict[Path, Path] = {}
    for f in files:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


# ------------------------------------------------------------------ the audit


@dataclass
class _Job:
    """One question under audit, with what its mutant runs need."""

    audit: QuestionAudit
    loaded: Loaded
    source: str = ""
    specs: list = field(default_factory=list)  # drill.judge.code.Specs of the hidden cases, for mutants
    marked: set[str] = field(default_factory=set)
    marked_killed: list[str] = field(default_factory=list)
    marked_seen: set[str] = field(default_factory=set)
    started: float = 0.0  # when its reference began to run
    leaky: str | None = None  # a model question's leaky reference
    runs: dict = field(default_factory=dict)  # a model question's results by role (reference, leaky)


def audit(targets: list[str], *, mutants: bool = False, min_kill: float = DEFAULT_MIN_KILL,
          jobs: int | None = None, sandbox: str = DEFAULT_SANDBOX,
          progress: Progress | None = None) -> AuditResult:
    if not 0.0 <= min_kill <= 1.0:
        raise InputError(f"--min-kill must be between 0 and 1, not {min_kill:g}")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {jobs}")
    from drill.judge import sandbox as sandbox_mod

    if sandbox not in sandbox_mod.MODES:
        raise InputError(f"sandbox must be one of {', '.join(sandbox_mod.MODES)}, not '{sandbox}'")
    sandbox_mod.resolve(sandbox)
    t0 = time.monotonic()
    notes: list[str] = []
    packs, work = _load_all(resolve_targets(targets, notes))
    result = AuditResult(packs, min_kill, mutants, sandbox_mod.resolve(sandbox), notes=notes)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        try:
            _run_all(pool, work, mutants, sandbox, progress)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    result.seconds = time.monotonic() - t0
    return result


def _load_all(files: list[Path]) -> tuple[list[PackAudit], list[_Job]]:
    from drill.packs.catalog import _importable
    from drill.packs.equivalents import unexplained_marks
    from drill.packs.model import CodeQuestion, ModelQuestion, SqlQuestion
    from drill.packs.packfile import load_pack, load_tests_file

    packs: list[PackAudit] = []
    work: list[_Job] = []
    for path in files:
        try:
            pack = load_pack(path, deep=True)
        except PackInvalid as e:
            packs.append(PackAudit(path.stem, str(path), problems=[str(p) for p in e.problems]))
            continue
        entry = PackAudit(pack.pack, str(path))
        packs.append(entry)
        unexplained = unexplained_marks(path.read_text(encoding="utf-8"))
        for q in pack.questions:
            if isinstance(q, ModelQuestion):
                job = _model_job(Loaded(f"{pack.pack}/{q.id}", pack.pack, q, path, []))
                entry.questions.append(job.audit)
                if job.source:
                    work.append(job)
                continue
            if not isinstance(q, (CodeQuestion, SqlQuestion)):
                continue
            hidden = list(q.tests)
            if isinstance(q, CodeQuestion) and q.tests_file:
                hidden += load_tests_file(path.parent / q.tests_file)  # deep validation read it already
            whole = Loaded(f"{pack.pack}/{q.id}", pack.pack, q, path, hidden)
            # Each follow-up part is audited as a question of its own (uid#part-k).
            for loaded in [whole, *(whole.part(k) for k in range(1, whole.parts + 1))]:
                qa = QuestionAudit(loaded.uid, q.kind, "missing")
                entry.questions.append(qa)
                qa.unexplained = unexplained.get(q.id + loaded.uid[len(whole.uid):], [])
                missing = [m for m in getattr(q, "requires", []) if not _importable(m)]
                if missing:
                    qa.reference, qa.detail = "unavailable", f"needs {', '.join(missing)}"
                elif loaded.solution_path is None:
                    qa.detail = "no reference solution"
                else:
                    work.append(_Job(qa, loaded, loaded.solution_path.read_text(encoding="utf-8"),
                                     marked=set(getattr(loaded.question, "equivalent_mutants", []))))
    return packs, work


def _model_job(loaded: Loaded) -> _Job:
    """A model question's audit, and its references' sources (none when it cannot run here)."""
    from drill.packs.catalog import _importable

    q = loaded.question
    qa = QuestionAudit(loaded.uid, "model", "missing")
    bar = q.target - q.margin if q.metric.higher_is_better else q.target + q.margin
    qa.bar = {"metric": q.metric.name, "baseline": q.baseline, "target": q.target, "margin": q.margin,
              "pass_at": round(bar, 12), "higher_is_better": q.metric.higher_is_better}
    job = _Job(qa, loaded)
    missing = [m for m in q.requires if not _importable(m)]
    if missing:
        qa.reference, qa.detail = "unavailable", f"needs {', '.join(missing)}"
    elif loaded.solution_path is None:
        qa.detail = "no reference solution"
    else:
        job.source = loaded.solution_path.read_text(encoding="utf-8")
        if q.leaky_solution is not None:
            job.leaky = (loaded.pack_path.parent / q.leaky_solution).read_text(encoding="utf-8")
        else:
            qa.warnings.append("no leaky_solution: nothing shows that the planted leak fails out of time")
    return job


def _run_all(pool: ThreadPoolExecutor, work: list[_Job], mutants: bool, sandbox: str,
             progress: Progress | None) -> None:
    pending: dict[Future, tuple] = {}
    total = 0
    for job in work:
        if job.audit.kind == "model":
            job.started = time.monotonic()
            for role, source in (("reference", job.source), ("leaky", job.leaky)):
                if source is not None:
                    pending[pool.submit(_model_run, job, source, sandbox)] = ("model", job, role)
                    total += 1
        else:
            pending[pool.submit(_reference, job, sandbox)] = ("ref", job, None)
            total += 1
    done = 0
    if progress:
        progress(done, total)
    while pending:
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in finished:
            what, job, mutant = pending.pop(fut)
            done += 1
            if what == "model":
                job.runs[mutant] = fut.result()
                job.audit.seconds = time.monotonic() - job.started
            elif what == "ref":
                passed, mode = fut.result()
                if passed and mutants and job.audit.kind == "code":
                    # Later runs reuse the mode the reference got, so a missing bubblewrap
                    # is found out once, not once per mutant.
                    for m in _prepare_mutants(job):
                        pending[pool.submit(_mutant_killed, job, m, mode)] = ("mutant", job, m)
                        total += 1
                else:
                    job.audit.seconds = time.monotonic() - job.started
            else:
                _record(job, mutant, fut.result())
            if progress:
                progress(done, total)
    for job in work:
        _finish(job)


def _reference(job: _Job, sandbox: str) -> tuple[bool, str]:
    """Run the reference on examples and hidden cases; (passed, sandbox mode for mutants)."""
    qa = job.audit
    job.started = time.monotonic()
    if qa.kind == "sql":
        from drill.sql.judge import judge_sql

        res = judge_sql(job.loaded, job.source)
        mode = sandbox
    else:
        from drill.judge import code as judge

        spec = judge.spec_for(job.loaded)
        res, _notes = judge.judge_spec(spec, job.source, sandbox)
        mode = "bwrap" if res.sandbox == "bwrap" else "none"
        if res.verdict == "passed":
            job.specs = _mutant_specs(spec, {c.name: c.time_ms / 1000 for c in res.cases})
    bad = next((c for c in res.cases if not c.passed), None)
    if res.verdict == "passed":
        qa.reference = "passed"
    else:
        qa.reference = "failed"
        qa.detail = res.error or (f"{bad.name}: {bad.message or bad.status}" if bad else "no cases ran")
    return qa.reference == "passed", mode


def _mutant_specs(spec, seconds_by_case: dict[str, float]) -> list:
    """The hidden cases in two runs, each under a limit fitted to the reference's time.

    Most mutants die on a small case, and a mutant that loops forever on one should be cut
    after a fraction of a second, not after the limit the largest case needs; so the quick
    cases run first under their own limit, the rest (for the survivors) under theirs.
    """
    hidden = sorted((c for c in spec.cases if c.hidden), key=lambda c: seconds_by_case.get(c.name, 0.0))
    quick = [c for c in hidden if seconds_by_case.get(c.name, 0.0) <= QUICK_CASE_SECONDS]
    slow = hidden[len(quick):]
    out = []
    for cases in (quick, slow):
        if cases:
            slowest = max(seconds_by_case.get(c.name, 0.0) for c in cases)
            limit = min(spec.seconds, MUTANT_TIME_FACTOR * slowest + MUTANT_TIME_GRACE)
            out.append(replace(spec, cases=cases, seconds=limit))
    return out


def _prepare_mutants(job: _Job) -> list:
    from drill.packs.mutate import mutants

    try:
        made = mutants(job.source)
    except (SyntaxError, ValueError, RecursionError) as e:
        job.audit.warnings.append(f"cannot parse the reference for mutants: {e}")
        return []
    job.audit.mutated = True
    job.audit.mutants = len(made)
    return made


def _mutant_killed(job: _Job, mutant, sandbox: str) -> bool:
    return any(first_failure(spec, mutant.source, sandbox) is not None for spec in job.specs)


def first_failure(spec, source: str, sandbox: str) -> str | None:
    """The first case `source` fails, as 'case: status', or None if it passes them all."""
    from drill.judge import code as judge

    res, _notes = judge.judge_spec(spec, source, sandbox, stop_at_failure=True)
    bad = next((c for c in res.cases if not c.passed), None)
    if bad is None and len(res.cases) == len(spec.cases):
        return None
    return f"{bad.name}: {bad.status}" if bad else "not every case ran"


def _record(job: _Job, mutant, killed: bool) -> None:
    qa = job.audit
    if mutant.id in job.marked:
        job.marked_seen.add(mutant.id)
        if killed:
            job.marked_killed.append(mutant.id)
            qa.killed += 1
        else:
            qa.equivalent += 1
    elif killed:
        qa.killed += 1
    else:
        qa.survivors.append(Survivor(mutant.id, mutant.diff))
    qa.seconds = time.monotonic() - job.started


def _model_run(job: _Job, source: str, sandbox: str):
    """One reference of a model question, judged as `drill check` judges an answer."""
    from drill.judge.takehome import DatasetError, judge_model
    from drill.packs.takehome import task_for

    try:
        result, _notes = judge_model(task_for(job.loaded), source, sandbox)
    except DatasetError as e:
        return e.message
    return result


def _finish_model(job: _Job) -> None:
    """The three checks of a model question, from its references' results and a constant score."""
    from drill.judge import metrics
    from drill.judge.takehome import DatasetError, read_hidden
    from drill.packs.takehome import task_for

    qa = job.audit
    if not job.runs:
        return
    bar = qa.bar
    higher = bar["higher_is_better"]
    sign = ">=" if higher else "<="
    ref = job.runs.get("reference")
    if isinstance(ref, str):
        qa.reference, qa.detail = "failed", ref
        return
    case = ref.cases[0] if ref is not None and ref.cases else None
    value = ref.model.value if ref is not None and ref.model is not None else None
    ok = case is not None and case.status == "passed"
    qa.reference = "passed" if ok else "failed"
    if not ok:
        qa.detail = case.message if case is not None else (ref.error or "no result") if ref is not None else "not run"
    qa.checks.append({"check": "reference", "value": value, "want": f"{sign} {bar['pass_at']:g}", "ok": ok,
                      "detail": "" if ok else qa.detail})
    leaky = job.runs.get("leaky")
    if leaky is not None:
        if isinstance(leaky, str):
            qa.checks.append({"check": "leaky", "value": None, "want": "", "ok": False, "detail": leaky})
        else:
            lcase = leaky.cases[0] if leaky.cases else None
            lvalue = leaky.model.value if leaky.model is not None else None
            ran = lcase is not None and lcase.status in ("passed", "wrong_answer") and lvalue is not None
            short = ran and leaky.model is not None and not leaky.model.reached
            detail = "" if short else (f"it reaches {bar['pass_at']:g}: the leak does not hurt out of time" if ran
                                       else f"it did not run: {lcase.message if lcase else leaky.error}")
            qa.checks.append({"check": "leaky", "value": lvalue,
                              "want": f"{'<' if higher else '>'} {bar['pass_at']:g}", "ok": short, "detail": detail})
            if short and lvalue is not None and (lvalue > bar["baseline"] if higher else lvalue < bar["baseline"]):
                qa.warnings.append(f"the leaky reference ({lvalue:.4f}) beats the baseline ({bar['baseline']:g}); "
                                   "ideally a leak scores below it out of time")
    try:
        task = task_for(job.loaded)
        hidden = read_hidden(task)
    except DatasetError as e:
        qa.checks.append({"check": "constant", "value": None, "want": "", "ok": False, "detail": e.message})
        return
    # A constant at either side of a threshold: alerting every row, and none.
    threshold = task.metric.get("threshold")
    levels = [float(threshold), float(threshold) - 1.0] if threshold is not None else [0.0]
    values = [metrics.evaluate(task.metric, hidden.labels, [c] * hidden.rows, hidden.days) for c in levels]
    best = max(values) if higher else min(values)
    ok = best <= bar["baseline"] if higher else best >= bar["baseline"]
    qa.checks.append({"check": "constant", "value": best, "want": f"{'<=' if higher else '>='} {bar['baseline']:g}",
                      "ok": ok, "detail": "" if ok else "a constant score does better than the baseline: "
                                                         "the baseline is too weak to mean anything"})


def _finish(job: _Job) -> None:
    qa = job.audit
    if qa.kind == "model":
        _finish_model(job)
        return
    order = {s.id: i for i, s in enumerate(qa.survivors)}
    qa.survivors.sort(key=lambda s: _id_key(s.id, order[s.id]))
    if not qa.mutated:
        return
    for mid in sorted(job.marked_killed):
        qa.warnings.append(f"{mid} is marked equivalent but the tests kill it: remove the mark")
    for mid in sorted(job.marked - job.marked_seen):
        qa.warnings.append(f"{mid} is marked equivalent but no such mutant exists now: remove the mark")


def _id_key(mid: str, fallback: int) -> tuple:
    """Source order: by line, then column, as the ids say."""
    try:
        _op, where = mid.split("@", 1)
        line, col = where.split("~")[0].split(":")
        return (int(line), int(col), mid)
    except ValueError:
        return (1 << 30, fallback, mid)
