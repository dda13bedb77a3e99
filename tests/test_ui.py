"""drill.ui: text from answers, packs and datasets never reaches the terminal raw."""

from __future__ import annotations

from drill.ui import term_safe


def test_escape_sequences_are_shown_escaped_not_sent():
    hostile = "ok\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;title\x07\r\x9b\x7f"
    safe = term_safe(hostile)
    assert "\x1b" not in safe and "\x07" not in safe and "\r" not in safe and "\x9b" not in safe
    assert safe.startswith("ok\\x1b]52;c;")


def test_newlines_and_tabs_stay_unless_asked_and_bidi_overrides_are_escaped():
    assert term_safe("a\n\tb") == "a\n\tb"
    assert term_safe("a\nb", keep_newlines=False) == "a ⏎ b"
    assert term_safe("pay \u202eevil") == "pay \\u202eevil"
    assert term_safe("plain café ✓") == "plain café ✓"
