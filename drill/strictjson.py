"""JSON as the standard has it: never `NaN` or `Infinity`, which `json.dumps` writes by
default and which strict parsers (and most other languages) refuse.

Everything drill writes as JSON (command output, exports, the database's JSON columns,
caches) goes through `dumps`: a non-finite float, which can only come from a hostile or
broken source, is written as null.
"""

from __future__ import annotations

import json
import math

TYPE_CHECKING = False  # typing only for type checkers: `drill check` has no time to import it
if TYPE_CHECKING:
    from typing import Any


def finite(value: Any) -> Any:
    """`value` with every non-finite float (at any depth) replaced by None."""
    if type(value) is float or isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, **kwargs: Any) -> str:
    """json.dumps, strict: a non-finite float becomes null instead of `Infinity`."""
    try:
        return json.dumps(value, allow_nan=False, **kwargs)
    except ValueError:
        # Rare (only a hostile or broken value), so the clean copy is made only then.
        return json.dumps(finite(value), allow_nan=False, **kwargs)
