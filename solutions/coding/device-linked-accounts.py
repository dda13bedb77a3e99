def link_accounts(logins: list[list[str]]) -> list[list[str]]:
    """Groups of accounts connected through shared devices, largest first, then by first id."""
    parent: dict[str, str] = {}

    def find(account: str) -> str:
        root = account
        while parent[root] != root:
            root = parent[root]
        while parent[account] != root:  # path compression keeps later finds near O(1)
            parent[account], account = root, parent[account]
        return root

    # Device ids live in their own namespace, so link through the device's first account.
    first_account_on: dict[str, str] = {}
    for account, device in logins:
        parent.setdefault(account, account)
        other = first_account_on.setdefault(device, account)
        parent[find(account)] = find(other)

    groups: dict[str, list[str]] = {}
    for account in parent:
        groups.setdefault(find(account), []).append(account)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
