"""The guide's texts (tui/content/gids.toml), loaded once."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from tui.model.schema import CONTENT_DIR


@lru_cache(maxsize=1)
def guide() -> dict:
    with open(CONTENT_DIR / "gids.toml", "rb") as fh:
        return tomllib.load(fh)
