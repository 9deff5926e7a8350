"""A question with a few answers, each on its own key."""

from __future__ import annotations

import enum
from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.app.alive import DismissOnce

class Answer(enum.StrEnum):
    """The answers the app's questions offer (a question may also offer values of its own)."""

    OPSLAAN = "opslaan"
    WEGGOOIEN = "weggooien"
    ANNULEREN = "annuleren"
    VERWIJDEREN = "verwijderen"
    NIEUW = "nieuw"
    OPENEN = "openen"
    VERVOLG = "vervolg"
    LEEG = "leeg"


T = TypeVar("T")


class ChoiceScreen(DismissOnce, ModalScreen[T], Generic[T]):
    """Returns the value of the chosen answer; Esc returns ``cancel`` (Answer.ANNULEREN)."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="choice.cancel", tooltip="Terug zonder iets te doen"),
        Binding("down,right", "app.focus_next", "Volgend antwoord", show=False, id="choice.next", tooltip="Naar het volgende antwoord"),
        Binding("up,left", "app.focus_previous", "Vorig antwoord", show=False, id="choice.previous", tooltip="Naar het vorige antwoord"),
    ]

    def __init__(self, question: str, answers: list[tuple[T, str]], detail: str = "", cancel: T = Answer.ANNULEREN, typing: T | None = None):
        super().__init__()
        # a question that comes up by itself (not asked for by a key) while someone may be typing:
        # a letter returns ``typing`` and goes on to the field instead of being lost on the buttons
        self.typing = typing
        self.question = question
        self.answers = answers  # (value, label); the button's id is choice-<value>
        self.by_id = {f"choice-{value}": value for value, _ in answers}
        self.detail = detail
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-box"):
            yield Static(self.question, id="choice-question", markup=False)
            if self.detail:
                yield Static(self.detail, id="choice-detail", markup=False)
            # Short answers side by side; longer ones (or many) one under the other, full width, so
            # no label is cut at 80 columns.
            stacked = len(self.answers) > 3 or sum(len(label) + 5 for _, label in self.answers) > 60
            with (VerticalScroll(id="choice-buttons", classes="-stacked") if stacked else Horizontal(id="choice-buttons")):
                for value, label in self.answers:
                    yield Button(Content(label), id=f"choice-{value}")

    def on_mount(self) -> None:
        # a question needs its answers in view: earlier notices (bottom right, where the
        # buttons are at 80x24) would cover them for seconds
        self.app.clear_notifications()
        for button in self.query(Button):  # none when the app quits while this opens
            button.focus()
            break

    def on_key(self, event) -> None:
        if self.typing is not None and event.is_printable:
            event.stop()
            event.prevent_default()
            again = type(event)(event.key, event.character)
            again.set_sender(self.app)
            self.app.post_message(again)  # to the field below, once this question is gone
            self.dismiss(self.typing)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.by_id[event.button.id or ""])

    def action_cancel(self) -> None:
        self.dismiss(self.cancel)


DISCARD_QUESTION = "Wijzigingen weggooien? Wat je in dit formulier hebt ingevuld, is nog niet bewaard."


def confirm_discard(screen, question: str = DISCARD_QUESTION, keep: str = "Verder bewerken", drop: str = "Weggooien") -> None:
    """Esc on a form with something typed in it: ask before it is thrown away. 'Verder bewerken'
    (the first answer, and Esc again) goes back to the form with everything kept."""

    def answered(answer: str | None) -> None:
        if answer == "weggooien" and screen.is_attached:
            screen.dismiss(None)

    screen.app.push_screen(ChoiceScreen(question, [("verder", keep), ("weggooien", drop)], cancel="verder"), answered)
