"""drill.plainclass makes the classes `drill check` loads first behave as dataclasses would,
without importing dataclasses (and inspect)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from drill.plainclass import as_dict, field, plainclass, replace


@plainclass
class Plain:
    name: str
    count: int = 0
    tags: list[str] = field(default_factory=list)
    note: bytes | None = field(default=None, compare=False, repr=False)


@dataclasses.dataclass
class Dataclass:
    name: str
    count: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)
    note: bytes | None = dataclasses.field(default=None, compare=False, repr=False)


@plainclass(frozen=True)
class Frozen:
    uid: str
    tags: tuple[str, ...] = ()


def test_init_repr_and_equality_are_a_dataclass_s():
    for args, kwargs in [(("a",), {}), (("a", 3), {"tags": ["x"]}), ((), {"name": "b", "note": b"n"})]:
        p, d = Plain(*args, **kwargs), Dataclass(*args, **kwargs)
        assert repr(p).replace("Plain", "X") == repr(d).replace("Dataclass", "X")
        assert [getattr(p, f.name) for f in dataclasses.fields(d)] == [getattr(d, f.name) for f in dataclasses.fields(d)]
    assert Plain("a", note=b"1") == Plain("a", note=b"2")  # compare=False
    assert Plain("a") != Plain("a", 1)
    assert Plain("a") != Dataclass("a")
    with pytest.raises(TypeError):
        Plain()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        hash(Plain("a"))  # mutable, compared by value: unhashable, as a dataclass


def test_a_default_factory_makes_a_fresh_value_each_time():
    a, b = Plain("a"), Plain("b")
    a.tags.append("x")
    assert b.tags == []


def test_frozen_is_hashable_and_refuses_assignment():
    assert hash(Frozen("u", ("a",))) == hash(Frozen("u", ("a",)))
    assert {Frozen("u"), Frozen("u")} == {Frozen("u")}
    f = Frozen("u")
    with pytest.raises(AttributeError, match="frozen"):
        f.uid = "v"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="frozen"):
        del f.uid


def test_replace_and_as_dict():
    p = Plain("a", 2, ["t"], b"n")
    q = replace(p, count=5)
    assert (q.name, q.count, q.tags, q.note) == ("a", 5, ["t"], b"n") and p.count == 2
    assert as_dict(Frozen("u", ("a",))) == {"uid": "u", "tags": ("a",)}
    with pytest.raises(TypeError, match="no field"):
        replace(p, colour="red")


def test_class_variables_are_not_fields_and_fields_are_not_inherited():
    from typing import ClassVar

    @plainclass
    class WithClassVar:
        KINDS: ClassVar[tuple[str, ...]] = ("a", "b")
        name: str

    assert WithClassVar("x") == WithClassVar("x") and WithClassVar.KINDS == ("a", "b")
    assert repr(WithClassVar("x")).endswith(".WithClassVar(name='x')")  # the qualified name, as a dataclass's
    with pytest.raises(TypeError, match="does not inherit"):
        @plainclass
        class Sub(Plain):
            extra: int = 0


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="follows a default"):
        @plainclass
        class Bad:
            a: int = 1
            b: int


def test_what_drill_check_loads_first_imports_neither_dataclasses_nor_inspect():
    code = ("import sys, drill.judge.verdict, drill.judge.spec, drill.judge.code, drill.packs.catalog, "
            "drill.commands.check; print(sorted({'dataclasses', 'inspect'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
