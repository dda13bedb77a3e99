"""Reading one pack file: parse, validate, and locate every problem as FILE:LINE:COL.

The fast path (`load_pack`) parses with libyaml and validates with pydantic. Only
when that fails do we compose the YAML node tree again to find line and column
numbers, so valid packs pay nothing for good error messages.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import yaml

from drill.errors import PackInvalid, PackProblem
from drill.packs import yamlsafe

KIND_TAGS = ("code", "sql", "open", "choice", "numeric", "model")
# Problems located and shown per file; the rest are counted. A file with 40,000 unknown
# keys needs its first few fixed, not 40,000 lines (nor the time to locate them all).
MAX_PROBLEMS = 20
SCHEMA_SECONDS = 2.0  # loading a sql question's schema, when validating
SCHEMA_MAX_BYTES = 64 << 20


def read_text(path: Path) -> str:
    """Read a pack file as UTF-8 text, turning every way that fails into PackInvalid."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PackInvalid([PackProblem(shown, "no such file")]) from None
    except IsADirectoryError:
        raise PackInvalid([PackProblem(shown, "is a folder, not a pack file")]) from None
    except OSError as e:
        raise PackInvalid([PackProblem(shown, f"cannot read: {e.strerror}")]) from None
    if b"\x00" in raw[:8192]:
        raise PackInvalid([PackProblem(shown, "binary file, not a YAML pack", 1, 1)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise PackInvalid(
            [PackProblem(shown, f"not UTF-8 text (byte 0x{raw[e.start]:02x} cannot be decoded)", line, col)]
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise PackInvalid([PackProblem(shown, "empty file: a pack needs pack, title, format and questions", 1, 1)])
    return text


def _yaml_problem(path: str, e: yaml.YAMLError) -> PackProblem:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    problem = getattr(e, "problem", None) or str(e)
    context = getattr(e, "context", None)
    cmark = getattr(e, "context_mark", None)
    if context and cmark is not None and cmark is not mark:
        context += f" started at line {cmark.line + 1}, column {cmark.column + 1}"
    what = "YAML syntax error" if isinstance(e, yaml.scanner.ScannerError | yaml.parser.ParserError) else "YAML error"
    msg = f"{what}: {problem}" + (f" ({context})" if context else "")
    if mark is not None:
        return PackProblem(path, msg, mark.line + 1, mark.column + 1)
    return PackProblem(path, msg)


def parse_yaml(path: Path, text: str) -> Any:
    # PyYAML allocates millions of small objects on a large pack, and the cyclic GC
    # rescans them over and over: pausing it makes the parse about 3x faster.
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return yamlsafe.load(text)
    except yaml.YAMLError as e:
        raise PackInvalid([_yaml_problem(str(path), e)]) from None
    except RecursionError:
        raise PackInvalid([PackProblem(str(path), "the YAML is nested too deeply to read", 1, 1)]) from None
    finally:
        if was_enabled:
            gc.enable()


def load_pack(path: Path, *, deep: bool = False):
    """Load and validate a pack file; raise PackInvalid with located problems.

    `deep` also checks what lies outside the YAML (solution and tests files exist,
    tests files are valid) and duplicate mapping keys; `drill packs validate` uses it.
    Whatever goes wrong inside is a PackInvalid: one bad file never takes drill down.
    """
    try:
        return _load_pack(path, deep)
    except PackInvalid:
        raise
    except RecursionError:
        raise PackInvalid([PackProblem(str(path), "the pack is nested too deeply to read", 1, 1)]) from None
    except Exception as e:
        from drill.judge.verdict import cut

        raise PackInvalid([PackProblem(str(path), cut(f"cannot be read: {type(e).__name__}: {e}", 300), 1, 1)]) from None


def _load_pack(path: Path, deep: bool):
    from pydantic import ValidationError

    from drill.packs.model import Pack

    text = read_text(path)
    data = parse_yaml(path, text)
    if not isinstance(data, dict):
        got = type(data).__name__ if data is not None else "nothing"
        raise PackInvalid(
            [PackProblem(str(path), f"a pack must be a mapping with pack, title, format and questions, not {_yaml_type(got)}", 1, 1)]
        )
    problems: list[tuple[tuple, str, bool]] = []
    more = 0
    pack = None
    try:
        pack = Pack.model_validate(data)
    except ValidationError as e:
        errors = e.errors(include_url=False)
        more = max(0, len(errors) - MAX_PROBLEMS)
        problems += [_pydantic_problem(err) for err in errors[:MAX_PROBLEMS]]
    if pack is not None:
        problems.extend(cross_check(pack.questions, path, deep=deep))
    elif len(problems) < MAX_PROBLEMS:
        # Still check what spans fields in the questions that did validate, so one run
        # reports every problem in the file.
        problems.extend(cross_check(_valid_questions(data), path, deep=deep))
    if deep or problems:
        node = _compose(path, text)
        index: dict[int, dict[str, tuple]] = {}
        located = [_locate(path, node, loc, msg, at_key, index) for loc, msg, at_key in problems]
        if deep and node is not None:
            located.extend(_duplicate_keys(str(path), node))
        located.sort(key=lambda p: (p.line or 0, p.col or 0))
        more += max(0, len(located) - MAX_PROBLEMS)
        if located:
            shown = located[:MAX_PROBLEMS]
            if more:
                shown.append(PackProblem(str(path), f"… and {more:,} more problem(s) not shown: fix these and validate again"))
            raise PackInvalid(shown, more)
    return pack


def _valid_questions(data: dict) -> list:
    from pydantic import TypeAdapter, ValidationError

    from drill.packs.model import Question

    raw = data.get("questions")
    if not isinstance(raw, list):
        return []
    adapter = TypeAdapter(Question)
    out: list = []
    for item in raw:
        try:
            out.append(adapter.validate_python(item))
        except ValidationError:
            out.append(None)
    return out


def _yaml_type(name: str) -> str:
    return {"list": "a list", "str": "a string", "int": "a number", "float": "a number",
            "bool": "a boolean", "nothing": "nothing"}.get(name, name)


def _pydantic_problem(err: Any) -> tuple[tuple, str, bool]:
    loc = tuple(err["loc"])
    typ = err["type"]
    if typ == "extra_forbidden":
        key = str(loc[-1])
        from drill.packs.model import all_field_names

        close = difflib.get_close_matches(key, sorted(all_field_names()), n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return loc, f"unknown key '{key}'{hint}", True
    if typ == "missing":
        return loc[:-1], f"missing required key '{loc[-1]}'", False
    if typ == "invalid_kind":
        return (*loc, "kind"), "kind must be one of code, sql, open, choice, numeric, model", False
    if typ == "too_short" and err.get("ctx"):
        ctx = err["ctx"]
        return loc, f"{_loc_name(loc)} needs at least {ctx.get('min_length')} item(s), has {ctx.get('actual_length')}", False
    msg = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if typ.endswith("_type") or typ in ("model_type", "model_attributes_type"):
        where = _loc_name(loc)
        got = type(err.get("input")).__name__
        msg = f"{where}: {msg} (got {_yaml_type(got)})" if where else msg
    elif typ not in ("value_error",) and loc:
        where = _loc_name(loc)
        if where:
            msg = f"{where}: {msg}"
    return loc, msg, False


def _loc_name(loc: tuple) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part not in KIND_TAGS:
            return f"'{part}'"
    return ""


def cross_check(questions: list, path: Path, *, deep: bool) -> list[tuple[tuple, str, bool]]:
    """Rules that span fields or reach outside the YAML (None stands for an invalid question)."""
    from drill.packs.model import ChoiceQuestion, CodeQuestion, ModelQuestion, SqlQuestion

    out: list[tuple[tuple, str, bool]] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(questions):
        if q is None:
            continue
        base = ("questions", i)
        if q.id in seen:
            out.append(((*base, "id"), f"duplicate question id '{q.id}' (first at question {seen[q.id] + 1})", False))
        else:
            seen[q.id] = i
        if isinstance(q, ChoiceQuestion):
            answers = q.answer if isinstance(q.answer, list) else [q.answer]
            if not answers:
                out.append(((*base, "answer"), "answer lists no choice", False))
            for a in answers:
                if not 0 <= a < len(q.choices):
                    out.append(((*base, "answer"), f"answer index {a} is out of range: there are {len(q.choices)} choices (0-{len(q.choices) - 1})", False))
        if isinstance(q, CodeQuestion):
            # Each part is checked as the question it stands for (drill.packs.model.CodeQuestion.part).
            for k in range(len(q.parts) + 1):
                out.extend(code_problems(q.part(k), (*base, "parts", k - 1) if k else base, path, deep=deep))
        if isinstance(q, SqlQuestion) and q.solution and not (path.parent / q.solution).is_file():
            out.append(((*base, "solution"), f"solution file '{q.solution}' does not exist", False))
        if isinstance(q, SqlQuestion) and deep:
            out.extend(sql_problems(q, base))
        if isinstance(q, ModelQuestion):
            from drill.packs.takehome import problems

            out.extend(problems(q, base, path, questions, deep=deep))
    return out


def code_problems(q, base: tuple, path: Path, *, deep: bool) -> list[tuple[tuple, str, bool]]:
    """A code question's (or part's) cases fit its entry point and its arguments build
    (when numpy/pandas are here); its files exist."""
    out: list[tuple[tuple, str, bool]] = []
    build = deep and bool(q.arguments) and _can_build(q.arguments)
    for j, case in enumerate(list(q.examples) + list(q.tests)):
        field = "examples" if j < len(q.examples) else "tests"
        k = j if j < len(q.examples) else j - len(q.examples)
        msg = case_shape_problem(q, case)
        if msg:
            out.append(((*base, field, k), msg, False))
            continue
        for where, msg in case_value_problems(q, case, build):
            out.append(((*base, field, k, *where), msg, False))
    if q.solution and not (path.parent / q.solution).is_file():
        out.append(((*base, "solution"), f"solution file '{q.solution}' does not exist", False))
    if q.tests_file:
        tf = path.parent / q.tests_file
        if not tf.is_file():
            out.append(((*base, "tests_file"), f"tests file '{q.tests_file}' does not exist", False))
        elif deep:
            try:
                build = bool(q.arguments) and _can_build(q.arguments)
                for j, case in enumerate(load_tests_file(tf)):
                    msg = case_shape_problem(q, case)
                    problems = [msg] if msg else [m for _, m in case_value_problems(q, case, build)]
                    for msg in problems:
                        out.append(((*base, "tests_file"), f"{q.tests_file} case {j + 1}: {msg}", False))
            except PackInvalid as e:
                out.append(((*base, "tests_file"), e.problems[0].message, False))
    return out


def sql_problems(q, base: tuple) -> list[tuple[tuple, str, bool]]:
    """The schema loads in SQLite, and every dataset fits it (tables exist, rows have
    one value per column, expected rows share one width)."""
    import sqlite3
    import time

    con = sqlite3.connect(":memory:")
    # A schema is the pack's code too (CREATE TABLE ... AS a recursive query runs it):
    # bounded in time and size, as the SQL judge's runner bounds it.
    deadline = time.monotonic() + SCHEMA_SECONDS
    con.set_progress_handler(lambda: time.monotonic() > deadline, 1000)
    con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 4 << 20)
    con.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    con.execute(f"PRAGMA max_page_count = {SCHEMA_MAX_BYTES // 4096}")
    try:
        con.executescript(q.schema_)
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        widths = {n: len(con.execute(f'PRAGMA table_info("{n}")').fetchall()) for n in names}
    except (sqlite3.Error, ValueError) as e:  # ValueError: a NUL character in the schema
        why = {"interrupted": f"takes longer than {SCHEMA_SECONDS:g} s",
               "database or disk is full": f"builds more than {SCHEMA_MAX_BYTES >> 20} MB"}.get(str(e), str(e))
        return [((*base, "schema"), f"schema does not load in SQLite: {why}", False)]
    finally:
        con.close()
    out: list[tuple[tuple, str, bool]] = []
    for field in ("examples", "tests"):
        for j, case in enumerate(getattr(q, field)):
            where = (*base, field, j)
            for table, rows in case.data.items():
                if table not in widths:
                    out.append(((*where, "data", table), f"no table '{table}' in the schema", True))
                    continue
                for k, row in enumerate(rows):
                    if len(row) != widths[table]:
                        out.append(((*where, "data", table, k),
                                    f"table '{table}' has {widths[table]} columns; this row has {len(row)} values", False))
            if len({len(r) for r in case.expected}) > 1:
                out.append(((*where, "expected"), "expected rows have different numbers of columns", False))
    return out


def case_shape_problem(q, case) -> str | None:
    if q.is_class:
        if case.calls is None:
            return "a class question's case needs 'calls'"
        if case.args is not None or case.kwargs is not None:
            return "a class question's case takes 'calls', not 'args'/'kwargs'"
        if not case.calls:
            return "'calls' is empty"
        for c in case.calls:
            if len(c) != 2 or not isinstance(c[0], str) or not isinstance(c[1], list):
                return "each call is [METHOD, [ARGS...]]"
        if case.calls[0][0] != "__init__":
            return "the first call must be __init__"
        if not isinstance(case.expected, list) or len(case.expected) != len(case.calls):
            return f"'expected' must list one return value per call ({len(case.calls)})"
    else:
        if case.calls is not None:
            return "a function question's case takes 'args', not 'calls'"
    return None


def case_value_problems(q, case, build: bool) -> list[tuple[tuple, str]]:
    """A code case's values against `returns` (the expected value's form) and, with `build`,
    `arguments` (each argument built as the judge's child builds it): (where, message)."""
    from drill.judge.mlcompare import expected_problem

    out: list[tuple[tuple, str]] = []
    if not q.is_class:
        msg = expected_problem(q.returns.type, case.expected)
        if msg:
            out.append((("expected",), msg))
    if build:
        from drill.judge._mlchild import BuildError, build_case

        inputs = {"calls": case.calls} if q.is_class else {"args": case.args or [], "kwargs": case.kwargs or {}}
        try:
            build_case({n: a.model_dump() for n, a in q.arguments.items()}, inputs, q.is_class)
        except BuildError as e:
            out.append((e.where, e.message))
    return out


def _can_build(arguments: dict) -> bool:
    """Whether this Python has what building these arguments takes (else validation skips it)."""
    import importlib.util

    needed = {"array": "numpy", "series": "pandas", "dataframe": "pandas"}
    for a in arguments.values():
        module = needed.get(a.type)
        if module is not None:
            try:
                if importlib.util.find_spec(module) is None:
                    return False
            except (ImportError, ValueError):
                return False
    return True


def load_tests_file(path: Path) -> list:
    from pydantic import TypeAdapter, ValidationError

    from drill.packs.model import CodeCase

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise PackInvalid([PackProblem(str(path), f"cannot read tests file: {e}")]) from None
    except json.JSONDecodeError as e:
        raise PackInvalid([PackProblem(str(path), f"invalid JSON: {e.msg}", e.lineno, e.colno)]) from None
    except (ValueError, RecursionError) as e:  # a number past 4,300 digits; nesting past the stack
        raise PackInvalid([PackProblem(str(path), f"cannot read tests file: {str(e) or type(e).__name__}"[:300])]) from None
    try:
        return TypeAdapter(list[CodeCase]).validate_python(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        loc = err["loc"]
        case = f"case {loc[0] + 1}" if loc and isinstance(loc[0], int) else "the file"
        _, msg, _ = _pydantic_problem({**err, "loc": tuple(loc[1:])})
        raise PackInvalid([PackProblem(str(path), f"{path.name} {case}: {msg}")]) from None


# ------------------------------------------------------------- locating


def _compose(path: Path, text: str):
    return yamlsafe.compose(text)


def _keys(node, index: dict[int, dict[str, tuple]]) -> dict[str, tuple]:
    """A mapping node's first (key node, value node) per key, built once per node:
    looking each problem up by a scan made locating quadratic."""
    found = index.get(id(node))
    if found is None:
        found = {}
        for k, v in node.value:
            if isinstance(k.value, str):
                found.setdefault(k.value, (k, v))
        index[id(node)] = found
    return found


def _locate(path: Path, root, loc: tuple, msg: str, at_key: bool,
            index: dict[int, dict[str, tuple]] | None = None) -> PackProblem:
    index = {} if index is None else index
    node = root
    key_node = None
    for part in loc:
        if node is None:
            break
        if isinstance(node, yaml.MappingNode):
            found = _keys(node, index).get(str(part))
            if found is None:
                if part in KIND_TAGS:
                    continue  # the union's tag in pydantic's path, not a YAML key
                break
            key_node, node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
        else:
            break
    target = key_node if (at_key and key_node is not None) else node
    if target is None:
        return PackProblem(str(path), msg)
    return PackProblem(str(path), msg, target.start_mark.line + 1, target.start_mark.column + 1)


def _duplicate_keys(path: str, node) -> list[PackProblem]:
    out: list[PackProblem] = []
    stack = [node]
    visited: set[int] = set()  # an alias is the same node again: walk it once
    while stack and len(out) <= MAX_PROBLEMS:
        n = stack.pop()
        if id(n) in visited:
            continue
        visited.add(id(n))
        if isinstance(n, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in n.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in seen:
                        out.append(PackProblem(path, f"duplicate key '{k.value}'", k.start_mark.line + 1, k.start_mark.column + 1))
                    seen.add(k.value)
                stack.append(v)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return out
