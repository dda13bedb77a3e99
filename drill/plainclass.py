"""Data classes without the dataclasses module, for what `drill check` loads before its
judge can run a case (the verdict, the judging spec, the catalogue's summaries).

dataclasses imports inspect, and with it dis, ast and tokenize: some 5 ms, and 0.3 ms more
for each class it makes, all on the path from the command to the first case. `plainclass`
makes a class from its annotated fields as `dataclasses.dataclass` does (same order, same
defaults, `field(default_factory=...)` for a mutable one, `field(compare=False,
repr=False)` for a field equality and repr leave out), with the same __init__, __repr__
and __eq__; with `frozen=True`, a __hash__ and no assignment. Only that: no inheritance of
fields, no __post_init__, no ordering. `replace` is `dataclasses.replace` for these classes.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")
else:
    def dataclass_transform(**_kw):
        return lambda f: f

_MISSING = object()


class Field:
    """A field's default (or the factory that makes it) and whether eq and repr show it."""

    __slots__ = ("compare", "default", "factory", "repr")

    def __init__(self, default: Any, factory: Callable[[], Any] | None, compare: bool, repr: bool) -> None:
        self.default = default
        self.factory = factory
        self.compare = compare
        self.repr = repr


def field(*, default: Any = _MISSING, default_factory: Callable[[], Any] | None = None,
          compare: bool = True, repr: bool = True) -> Any:
    """As dataclasses.field, for a plainclass."""
    return Field(default, default_factory, compare, repr)


@dataclass_transform(field_specifiers=(field,))
def plainclass(cls: type[T] | None = None, /, *, frozen: bool = False) -> Any:
    """Give `cls` the __init__, __repr__ and __eq__ (and, frozen, __hash__) of a dataclass."""

    def make(cls: type[T]) -> type[T]:
        return _build(cls, frozen)

    return make if cls is None else make(cls)


def _build(cls: type, frozen: bool) -> type:
    if any(hasattr(base, "__plain_fields__") for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__name__}: a plainclass does not inherit fields; make it a dataclass")
    # The class's own annotations (strings, under `from __future__ import annotations`);
    # inspect.get_annotations would import inspect, which is what this module avoids.
    # A ClassVar is the class's, not a field, as for a dataclass.
    names = [name for name, kind in getattr(cls, "__annotations__", {}).items()
             if not str(kind).startswith(("ClassVar", "typing.ClassVar"))]
    specs: dict[str, Field] = {}
    for name in names:
        value = cls.__dict__.get(name, _MISSING)
        spec = value if isinstance(value, Field) else Field(value, None, True, True)
        specs[name] = spec
        if name in cls.__dict__:
            delattr(cls, name)
    params, body = [], []
    env: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    for name, spec in specs.items():
        if spec.factory is not None:
            env[f"_f_{name}"] = spec.factory
            params.append(f"{name}=_MISSING")
            value = f"_f_{name}() if {name} is _MISSING else {name}"
        elif spec.default is not _MISSING:
            env[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
            value = name
        else:
            if params and "=" in params[-1]:
                raise TypeError(f"{cls.__name__}: non-default field {name!r} follows a default one")
            params.append(name)
            value = name
        body.append(f"_set(self, {name!r}, {value})" if frozen else f"self.{name} = {value}")
    shown = [n for n in names if specs[n].repr]
    compared = [n for n in names if specs[n].compare]
    key = "(" + "".join(f"self.{n}, " for n in compared) + ")"
    other = key.replace("self.", "other.")
    lines = [
        f"def __init__(self, {', '.join(params)}):",
        *(f"    {line}" for line in body or ["pass"]),
        "def __repr__(self):",
        "    return f'{type(self).__qualname__}(" + ", ".join(f"{n}={{self.{n}!r}}" for n in shown) + ")'",
        "def __eq__(self, other):",
        "    if other.__class__ is not self.__class__:",
        "        return NotImplemented",
        f"    return {key} == {other}",
    ]
    if frozen:
        lines += ["def __hash__(self):", f"    return hash({key})",
                  "def __setattr__(self, name, value):",
                  "    raise AttributeError(f'cannot assign to field {name!r} of a frozen ' + type(self).__name__)",
                  "def __delattr__(self, name):",
                  "    raise AttributeError(f'cannot delete field {name!r} of a frozen ' + type(self).__name__)"]
    exec("\n".join(lines), env)
    for method in ("__init__", "__repr__", "__eq__", *(("__hash__", "__setattr__", "__delattr__") if frozen else ())):
        function = env[method]
        function.__qualname__ = f"{cls.__qualname__}.{method}"
        setattr(cls, method, function)
    if not frozen:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value, as a dataclass
    cls.__plain_fields__ = tuple(names)  # type: ignore[attr-defined]
    return cls


def replace(obj: T, /, **changes: Any) -> T:
    """A copy of plainclass instance `obj` with `changes` (as dataclasses.replace)."""
    values = {name: getattr(obj, name) for name in type(obj).__plain_fields__}  # type: ignore[attr-defined]
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    return type(obj)(**{**values, **changes})


def as_dict(obj: Any) -> dict[str, Any]:
    """The fields of plainclass instance `obj`, by name (shallow: values are not copied)."""
    return {name: getattr(obj, name) for name in type(obj).__plain_fields__}
