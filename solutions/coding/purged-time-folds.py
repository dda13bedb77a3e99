from itertools import pairwise


def purged_folds(
    rows: list[list], cuts: list[int], gap: int, train_span: int | None = None
) -> list[list[list[str]]]:
    """Walk-forward folds whose training rows' labels were known `gap` before validation."""
    folds = []
    for start, end in pairwise(cuts):
        # Purge on label time, not event time: a row whose label arrives during
        # validation carries information from the validation period.
        cutoff = start - gap
        train = sorted(
            row_id
            for row_id, event_ts, label_ts in rows
            if label_ts < cutoff and (train_span is None or event_ts >= cutoff - train_span)
        )
        valid = sorted(row_id for row_id, event_ts, _ in rows if start <= event_ts < end)
        folds.append([train, valid])
    return folds
