"""F1: the guide's text for the part that has the focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from tui.app.alive import DismissOnce


class HelpScreen(DismissOnce, ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Sluiten", id="help.close", tooltip="Sluit de uitleg en ga verder waar je was"),
    ]

    def __init__(self, title: str, markdown: str, *, literal: bool = False):
        """``literal``: the text holds the user's own words (a check's findings): shown as it
        is, not read as Markdown."""
        super().__init__()
        self.help_title = title
        self.markdown = markdown
        self.literal = literal

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Content.assemble((self.help_title, "bold")), id="help-title")
            if self.literal:
                yield Static(self.markdown, id="help-text", markup=False)
            else:
                yield Markdown(self.markdown)
            yield Static("Esc of F1: sluiten", classes="hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)
