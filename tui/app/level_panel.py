"""The experience level that follows from the seven questions, with the guide's advice."""

from __future__ import annotations

from textual.widgets import Static

from tui.model.rules import Level

SYMBOL = {"startend": "▶", "lerend": "▲", "uitvoerend": "★", "gelijk": "=", "onbekend": "?"}


class LevelPanel(Static):
    DEFAULT_CSS = "LevelPanel { border: round $accent; padding: 0 1; height: auto; margin: 0 0 1 0; }"

    def show(self, level: Level) -> None:
        counts = f"{level.ja}× ja, {level.nee}× nee" + (f", {level.open} open" if level.open else "")
        self.update(f"[b]{SYMBOL[level.key]} Ervaringsniveau: {level.naam}[/b]  ({counts})\n{level.advies}")
        for key in SYMBOL:
            self.set_class(level.key == key, f"-{key}")
