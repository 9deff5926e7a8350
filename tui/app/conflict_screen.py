"""The file changed on disk since it was read: reload, keep mine, or save mine as a copy."""

from __future__ import annotations

import difflib
import enum
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.app.ordered_keys import OrderedInput


class ConflictAction(enum.StrEnum):
    HERLADEN = "herladen"  # read the file again: mine is lost
    OVERSCHRIJVEN = "overschrijven"  # save mine over theirs
    KOPIE = "kopie"  # save mine as a copy and work on there
    ANNULEREN = "annuleren"


@dataclass(frozen=True)
class ConflictChoice:
    action: ConflictAction
    copy_path: str = ""


class ConflictScreen(ModalScreen[ConflictChoice]):
    """Returns what the person chose, with the path typed for a copy."""

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="conflict.cancel", tooltip="Niets doen; je wijzigingen blijven in de app")]

    def __init__(self, path: str, mine: str, theirs: str | None, copy_path: str):
        super().__init__()
        self.path = path
        self.mine = mine
        self.theirs = theirs
        self.copy_path = copy_path

    def on_mount(self) -> None:
        self.app.clear_notifications()  # the choices need to be in view (see ChoiceScreen)
        # the focus on the choice that loses nothing: Enter keeps both versions
        for button in self.query(f"#{ConflictAction.KOPIE.value}"):
            button.focus()

    def compose(self) -> ComposeResult:
        gone = self.theirs is None
        with Vertical(id="conflict-box"):
            yield Static(
                Content.assemble(
                    (f"{self.path} is {'verwijderd' if gone else 'door iemand anders gewijzigd'} sinds je het opende.", "bold"),
                    "\nEr is niets overschreven. Wat wil je doen?",
                )
            )
            yield Static("Herladen gooit deze wijzigingen van jou weg:", classes="hint")
            with VerticalScroll(id="conflict-diff"):
                yield Static(self._lost(), markup=False)
            with Horizontal(id="conflict-buttons"):
                yield Button("Herladen", id=ConflictAction.HERLADEN.value, disabled=gone)
                yield Button("Mijn versie opslaan", id=ConflictAction.OVERSCHRIJVEN.value, variant="warning")
                yield Button("Opslaan als kopie", id=ConflictAction.KOPIE.value, variant="primary")
            yield Static("Kopie opslaan als (Enter in dit veld slaat de kopie op):", classes="hint")
            yield OrderedInput(self.copy_path, id="copy-path")

    def _lost(self) -> str:
        theirs = (self.theirs or "").splitlines()
        diff = [
            line for line in difflib.unified_diff(theirs, self.mine.splitlines(), "op schijf", "in de app", lineterm="", n=0)
            if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
        ]
        return "\n".join(diff[:200]) or "(geen verschil in de tekst)"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(ConflictChoice(ConflictAction(event.button.id or "annuleren"), self.query_one("#copy-path", Input).value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the name of the copy: save the copy there (it did nothing)."""
        event.stop()
        self.dismiss(ConflictChoice(ConflictAction.KOPIE, event.value))

    def action_cancel(self) -> None:
        self.dismiss(ConflictChoice(ConflictAction.ANNULEREN))
