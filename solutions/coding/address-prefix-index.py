
class _Node:
    __slots__ = ("children", "count", "is_end")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.count = 0  # stored addresses in this subtree
        self.is_end = False


class AddressIndex:
    """A set of addresses with prefix counts and their longest common prefix."""

    def __init__(self) -> None:
        self.root = _Node()

    def add(self, address: str) -> bool:
        existing = self._node(address)
        if existing is not None and existing.is_end:
            return False
        node = self.root
        node.count += 1
        for ch in address:
            node = node.children.setdefault(ch, _Node())
            node.count += 1
        node.is_end = True
        return True

    def count_prefix(self, prefix: str) -> int:
        node = self._node(prefix)
        return node.count if node is not None else 0

    def common_prefix(self) -> str:
        # Descend while every stored address continues with the same single character.
        node, chars = self.root, []
        while len(node.children) == 1 and not node.is_end:
            ch, node = next(iter(node.children.items()))
            chars.append(ch)
        return "".join(chars)

    def _node(self, prefix: str) -> _Node | None:
        node = self.root
        for ch in prefix:
            child = node.children.get(ch)
            if child is None:
                return None
            node = child
        return node
