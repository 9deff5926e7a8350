"""F1: the guide's text for the part that has the focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from rich.text import Text
from textual.widgets import Markdown, Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q", "dismiss", "Sluiten", id="help.close", tooltip="Sluit de uitleg en ga verder waar je was"),
    ]

    def __init__(self, title: str, markdown: str):
        super().__init__()
        self.help_title = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text(self.help_title, style="bold"), id="help-title")
            yield Markdown(self.markdown)
            yield Static("Esc of F1: sluiten", classes="hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)
