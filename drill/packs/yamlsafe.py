"""Reading YAML that may be hostile: every failure is a located YAMLError, and aliases are bounded.

PyYAML's safe loader still lets a pack take drill down in three ways, all closed here:
- some values fail with a plain Python error rather than a YAMLError (`!!int easy`,
  `!!bool maybe`, a date such as 2026-02-30, an integer past Python's 4,300-digit
  limit, a malformed `!!timestamp`): each becomes a YAMLError at the value's position;
- an alias may refer to a value that contains it (`tags: &t [x, *t]`), giving a
  recursive structure that later walks (validation, JSON, the judge) never finish;
- a few anchors aliased in layers ("billion laughs") expand exponentially, although
  the loader itself shares them: every walk after it pays for the expansion.
Aliases are checked on the composed node graph before anything is built: no recursion,
and at most ALIAS_BUDGET values repeated by aliases in a whole file.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

# Where an anchor could start: after anything but a letter, digit or underscore (YAML puts
# one after whitespace or a flow indicator), and followed by its name. Without one, a text
# has no aliases (an alias to no anchor is an error) and the graph walk is skipped:
# "R&D", "a & b" or `x&&y` in a prompt cost nothing.
_ANCHOR = re.compile(r"(?<![A-Za-z0-9_])&\S")

# Values that aliases may repeat in one file, counted as what they would expand to: an
# alias to a list of 50 numbers used 100 times costs 5,100. Packs seldom need any.
ALIAS_BUDGET = 10_000


class _Checked:
    """Checks the node graph's aliases before anything is constructed from it."""

    walk_aliases = True  # off for a text that cannot hold an anchor (may_alias)

    def get_single_data(self: Any) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        if self.walk_aliases:
            check_aliases(node)
        return self.construct_document(node)


class PackLoader(_Checked, _Base):
    """The safe loader (libyaml's when built), with the checks in the module docstring."""


class PurePackLoader(_Checked, yaml.SafeLoader):
    """The same checks on PyYAML's pure-Python loader (used when libyaml is missing)."""


def _guarded(construct):
    def wrapper(loader, node):
        try:
            return construct(loader, node)
        except yaml.YAMLError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError) as e:
            what = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_shown(node.value)} as {what}: {_reason(e)}", node.start_mark
            ) from None

    return wrapper


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else "this value"
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _reason(e: Exception) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    if isinstance(e, ValueError) and "digits" in text and "int" in text:
        return "the number is too long"
    if isinstance(e, KeyError | AttributeError):
        return "not a valid value of that type"
    return text[:120]


for _loader in (PackLoader, PurePackLoader):
    for _tag in ("bool", "int", "float", "timestamp", "binary"):
        _full = f"tag:yaml.org,2002:{_tag}"
        _loader.add_constructor(_full, _guarded(yaml.SafeLoader.yaml_constructors[_full]))


def _children(node: Any) -> list:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _error(message: str, node: Any) -> yaml.YAMLError:
    return yaml.composer.ComposerError(None, None, message, node.start_mark)


def check_aliases(root: Any) -> None:
    """Refuse a node graph with a cycle (a recursive alias) or with aliases that repeat
    more than ALIAS_BUDGET values; raises a YAMLError located at the offending node."""
    sizes: dict[int, int] = {}  # expanded size of each finished node, capped
    started: set[int] = set()
    on_path: set[int] = set()
    counted: set[int] = set()  # nodes already reached once: reaching them again repeats them
    cap = ALIAS_BUDGET + 1
    repeated = 0
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        kids = _children(node)
        if done:
            on_path.discard(nid)
            size = 1
            for kid in kids:
                k = id(kid)
                size += sizes[k]
                if k in counted:
                    repeated += sizes[k]
                    if repeated > ALIAS_BUDGET:
                        raise _error(f"aliases here repeat more than {ALIAS_BUDGET:,} values; "
                                     "write the values out, or use fewer aliases", node)
                else:
                    counted.add(k)
            sizes[nid] = min(size, cap)
            continue
        if nid in started:
            continue
        started.add(nid)
        on_path.add(nid)
        stack.append((node, True))
        for kid in kids:
            k = id(kid)
            if k in on_path:
                raise _error("a recursive alias: this value contains an alias to itself", kid)
            if k not in started:
                stack.append((kid, False))


def may_alias(text: str) -> bool:
    """Whether `text` may hold an anchor (and so aliases): the graph walk runs only then."""
    return "*" in text and _ANCHOR.search(text) is not None


# Tests set this to read packs as a machine without libyaml would.
USE_PURE = _Base is yaml.SafeLoader


def load(text: str) -> Any:
    """Parse one YAML document; every failure is a yaml.YAMLError (or RecursionError/MemoryError
    from a pathological input, which callers treat as unreadable)."""
    loader = (PurePackLoader if USE_PURE else PackLoader)(text)
    loader.walk_aliases = may_alias(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def compose(text: str) -> Any:
    """The node tree (for locating problems), with the same alias checks; None if it fails."""
    loader = (PurePackLoader if USE_PURE else PackLoader)(text)
    try:
        node = loader.get_single_node()
        if node is not None and may_alias(text):
            check_aliases(node)
        return node
    except (yaml.YAMLError, RecursionError, MemoryError):
        return None
    finally:
        loader.dispose()
