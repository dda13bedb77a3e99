"""Each `equivalent_mutants` mark in a pack must carry a YAML comment saying why.

A mark stops a surviving mutant from counting against the tests, so an unexplained one
is indistinguishable from hiding a gap. The models never see comments, so this reads
the YAML node tree for where each mark is and looks at the raw lines around it.
"""

from __future__ import annotations

import yaml

from drill.packs import yamlsafe


def unexplained_marks(text: str) -> dict[str, list[str]]:
    """Question id (`id#part-k` for a part) -> marked mutant ids with no comment on their
    line or the line above."""
    if "equivalent_mutants" not in text:
        return {}
    root = yamlsafe.compose(text)
    lines = text.splitlines()
    out: dict[str, list[str]] = {}
    for q in _items(_get(root, "questions")):
        qid = _get(q, "id")
        if not isinstance(qid, yaml.ScalarNode):
            continue
        # The question's own marks, then each part's, keyed as the audit names them.
        units = [(qid.value, q)] + [(f"{qid.value}#part-{k}", part)
                                    for k, part in enumerate(_items(_get(q, "parts")), 1)]
        for key, unit in units:
            marks = _get(unit, "equivalent_mutants")
            if not isinstance(marks, yaml.SequenceNode):
                continue
            bare = [m.value for m in marks.value if isinstance(m, yaml.ScalarNode) and not _explained(lines, m)]
            if bare:
                out[key] = bare
    return out


def _explained(lines: list[str], node: yaml.Node) -> bool:
    line = node.end_mark.line
    after = lines[line][node.end_mark.column:] if line < len(lines) else ""
    if "#" in after:
        return True
    above = node.start_mark.line - 1
    return above >= 0 and lines[above].lstrip().startswith("#")


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []
