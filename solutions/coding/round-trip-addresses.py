from collections import defaultdict


def round_trip_addresses(transfers: list[list[str]]) -> list[str]:
    """Addresses on at least one directed cycle of transfers, sorted."""
    forward: defaultdict[str, list[str]] = defaultdict(list)
    backward: defaultdict[str, list[str]] = defaultdict(list)
    for sender, receiver in transfers:
        forward[sender].append(receiver)
        backward[receiver].append(sender)

    # Kosaraju, pass 1: finish order of an iterative DFS (deep chains overflow recursion).
    finished: list[str] = []
    seen: set[str] = set()
    for start in list(forward):
        if start not in seen:
            seen.add(start)
            stack = [(start, iter(forward[start]))]
            while stack:
                node, children = stack[-1]
                child = next((c for c in children if c not in seen), None)
                if child is None:
                    stack.pop()
                    finished.append(node)
                else:
                    seen.add(child)
                    stack.append((child, iter(forward[child])))

    # Pass 2: in reverse finish order, what reaches each start backwards is its component.
    assigned: set[str] = set()
    on_cycle: list[str] = []
    for start in reversed(finished):
        if start in assigned:
            continue
        assigned.add(start)
        members, todo = [start], [start]
        while todo:
            for prev in backward[todo.pop()]:
                if prev not in assigned:
                    assigned.add(prev)
                    members.append(prev)
                    todo.append(prev)
        if len(members) > 1 or start in forward[start]:
            on_cycle.extend(members)
    return sorted(on_cycle)
