"""A workbook that cannot be read: every problem with line and column; nothing is written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.app.steady_footer import SteadyFooter


class ParseErrorScreen(Screen[None]):
    BINDINGS = [Binding("q,escape,ctrl+q", "app.quit", "Afsluiten", id="error.quit", tooltip="Sluit de app; het bestand blijft zoals het is")]

    def __init__(self, path: str, lines: list[str]):
        super().__init__()
        self.path = path
        self.lines = lines

    def compose(self) -> ComposeResult:
        located = any(line.startswith(f"{self.path}:") and line[len(self.path) + 1 :].split(":", 1)[0].isdigit() for line in self.lines)
        where = " (de regel en kolom staan hierboven)" if located else ""
        with VerticalScroll(id="error-body"):
            yield Static(Content.assemble((f"{self.path} kan niet worden geopend", "bold")), id="error-title")
            yield Static("\n".join(self.lines), id="error-lines", markup=False)
            yield Static(
                f"De app schrijft niets naar dit bestand. Herstel het in een teksteditor{where} "
                f"en open het opnieuw, of controleer het met "
                f"`publieksdata check {self.path}`.",
                id="error-advice",
                markup=False,
            )
        yield SteadyFooter()
