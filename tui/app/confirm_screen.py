"""A question with a few answers, each on its own key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.app.alive import DismissOnce


class ChoiceScreen(DismissOnce, ModalScreen[str]):
    """Returns the key of the chosen answer; Esc returns 'annuleren'."""

    BINDINGS = [Binding("escape", "choose('annuleren')", "Annuleren", id="choice.cancel", tooltip="Terug zonder iets te doen")]

    def __init__(self, question: str, answers: list[tuple[str, str]], detail: str = ""):
        super().__init__()
        self.question = question
        self.answers = answers  # (key, label)
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.question, id="choice-question", markup=False)  # it may name a record
            if self.detail:
                yield Static(self.detail, id="choice-detail", markup=False)
            with Horizontal(id="choice-buttons"):
                for key, label in self.answers:
                    yield Button(Content(label), id=f"choice-{key}")

    def on_mount(self) -> None:
        for button in self.query(Button):  # none when the app quits while this opens
            button.focus()
            break

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id.removeprefix("choice-"))

    def action_choose(self, key: str) -> None:
        self.dismiss(key)
