import math


class EventLedger:
    """On-chain events keyed by (chain, tx hash, log index), with reorgs and finality."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[tuple[str, int], tuple[int, int]]] = {}
        self._final: dict[str, float] = {}  # finalized height per chain

    def _final_height(self, chain: str) -> float:
        return self._final.get(chain, -math.inf)

    def upsert(self, chain: str, tx_hash: str, log_index: int, block: int, amount: int) -> str:
        rows = self._rows.setdefault(chain, {})
        key = (tx_hash, log_index)
        old = rows.get(key)
        if old is None:
            rows[key] = (block, amount)
            return "inserted"
        # Replays are the common case (at-least-once delivery): they must be no-ops.
        if old == (block, amount):
            return "unchanged"
        if old[0] <= self._final_height(chain):
            return "rejected"
        rows[key] = (block, amount)
        return "updated"

    def reorg(self, chain: str, from_block: int) -> int | None:
        if from_block <= self._final_height(chain):
            return None
        rows = self._rows.get(chain, {})
        orphaned = [key for key, (block, _) in rows.items() if block >= from_block]
        for key in orphaned:
            del rows[key]
        return len(orphaned)

    def finalize(self, chain: str, block: int) -> None:
        # Finality only moves forward: a late, lower finalize call changes nothing.
        self._final[chain] = max(self._final_height(chain), block)

    def total(self, chain: str) -> int:
        return sum(amount for _, amount in self._rows.get(chain, {}).values())

    def rows(self, chain: str) -> list[list]:
        return sorted(
            [tx_hash, log_index, block, amount]
            for (tx_hash, log_index), (block, amount) in self._rows.get(chain, {}).items()
        )
