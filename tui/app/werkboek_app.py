"""The application shell."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from tui import storage


class WerkboekApp(App):
    TITLE = "Publieksdata werkboek"

    def __init__(self, path: Path):
        super().__init__()
        self.path = Path(path)
        self.workbook: storage.Workbook | None = None
        self.load_error: storage.WorkbookError | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        try:
            self.workbook = storage.load(self.path)
            org = self.workbook.get(("organisatie", "naam")) or "(naam nog niet ingevuld)"
            yield Static(f"{self.path}: {org}", id="summary")
        except storage.WorkbookError as exc:
            self.load_error = exc
            yield Static("\n".join(p.format(str(self.path)) for p in exc.problems), id="errors")
        yield Footer()
