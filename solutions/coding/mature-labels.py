DAY = 86_400


def mature_labels(
    payments: list[list], as_of: int, window_days: int
) -> list[list]:
    """Training rows whose chargeback label is final as of `as_of`, oldest first."""
    horizon = window_days * DAY
    rows = sorted(
        (paid_at, payment_id, int(cb_at is not None and cb_at - paid_at <= horizon))
        for payment_id, paid_at, cb_at in payments
        # A younger payment may still charge back: keeping it (even when a chargeback
        # already arrived) would bias recent labels.
        if paid_at + horizon <= as_of
    )
    return [[payment_id, label] for _, payment_id, label in rows]
