"""The command line's own words (usage, help, errors) in Dutch.

argparse looks its messages up through ``gettext`` at the moment it shows them; this gives it
the Dutch for each (the ones this product's commands can show). A message it has no Dutch for
stays as it is.
"""

from __future__ import annotations

import argparse

DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "onbekende keuze: %(value)r (kies uit %(choices)s)",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "expected one argument": "hier hoort één waarde bij",
    "expected at least one argument": "hier hoort minstens één waarde bij",
    "expected at most one argument": "hier hoort hooguit één waarde bij",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "onduidelijke optie: %(option)s kan %(matches)s zijn",
    "not allowed with argument %s": "niet samen met %s",
    "ignored explicit argument %r": "waarde %r genegeerd",
}


def _dutch(message: str) -> str:
    return DUTCH.get(message, message)


def speak_dutch() -> None:
    argparse._ = _dutch  # type: ignore[attr-defined]
