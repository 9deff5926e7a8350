"""Alt+1…5 from terminals that send Alt as Esc, which is how tmux and most terminals send it.

Textual reads Esc followed by a digit as the character that macOS's Option+digit types in
WezTerm (Esc 3 becomes '£', Esc 2 '™'), so in tmux Alt+3 typed '£' into the answer instead of
showing step 3, and so did Esc then 3 pressed quickly (the README's advice for tmux). Here those
sequences are left to Textual's general rule, which reads Esc+key as Alt+key. A '£' typed as a
character (Shift+3 on a British keyboard) is not an Esc sequence and is not affected.
"""

from __future__ import annotations

DIGITS = "0123456789"


def read_alt_digits_as_alt() -> None:
    from textual import _ansi_sequences

    for digit in DIGITS:
        _ansi_sequences.ANSI_SEQUENCES_KEYS.pop("\x1b" + digit, None)
