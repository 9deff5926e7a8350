"""A question with a few answers, each on its own key."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceScreen(ModalScreen[str]):
    """Returns the key of the chosen answer; Esc returns 'annuleren'."""

    BINDINGS = [Binding("escape", "choose('annuleren')", "Annuleren", id="choice.cancel", tooltip="Terug zonder iets te doen")]

    def __init__(self, question: str, answers: list[tuple[str, str]], detail: str = ""):
        super().__init__()
        self.question = question
        self.answers = answers  # (key, label)
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.question, id="choice-question")
            if self.detail:
                yield Static(self.detail, id="choice-detail", markup=False)
            # Short answers side by side; longer ones (or many) one under the other, full width, so
            # no label is cut at 80 columns.
            stacked = len(self.answers) > 3 or sum(len(label) + 5 for _, label in self.answers) > 60
            with (VerticalScroll(id="choice-buttons", classes="-stacked") if stacked else Horizontal(id="choice-buttons")):
                for key, label in self.answers:
                    yield Button(label, id=f"choice-{key}")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id.removeprefix("choice-"))

    def action_choose(self, key: str) -> None:
        self.dismiss(key)
