"""The guide's texts (tui/content/gids.toml), loaded once."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from tui.model.schema import CONTENT_DIR

# The circle's four steps in order, and the seven hulpvragen of step 1 (keys in cyclus.vraagstuk).
STEPS = ("vraagstuk", "data", "actie", "implementatie")
HULPVRAGEN = ("belangrijk", "meten", "afdelingen", "personen", "bereiken", "uitdagingen", "niet_willen")


@lru_cache(maxsize=1)
def guide() -> dict:
    with open(CONTENT_DIR / "gids.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def key_texts() -> dict:
    """What the app says about its keys (tui/content/toetsen.toml)."""
    with open(CONTENT_DIR / "toetsen.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def register_examples() -> list[dict]:
    """Ready-made verwerkingsregister records (tui/content/verwerkingen.toml)."""
    with open(CONTENT_DIR / "verwerkingen.toml", "rb") as fh:
        return tomllib.load(fh)["voorbeelden"]


def register_example(key: str) -> dict:
    """One example as a register record: the schema's keys only, with its id."""
    for ex in register_examples():
        if ex["kenmerk"] == key:
            record = {k: v for k, v in ex.items() if k not in ("kenmerk", "titel")}
            return {"id": ex["kenmerk"], **record}
    raise KeyError(key)
