"""Nothing can be saved where the workbook is (a read-only file, folder or disk): save it elsewhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.app.ordered_keys import OrderedInput


class SaveAsScreen(ModalScreen[str]):
    """Returns the path typed (Enter or the button), or '' when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="save_as.cancel", tooltip="Niet elders opslaan; je wijzigingen blijven in de app")]

    def __init__(self, reason: str, default: str):
        super().__init__()
        self.reason = reason
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="save-as-box"):
            yield Static("Hier kan het werkboek niet worden opgeslagen. Opslaan als:", id="save-as-question")
            yield Static(self.reason, id="save-as-reason", markup=False)
            yield OrderedInput(self.default, id="save-as-path")
            with Horizontal(id="save-as-buttons"):
                yield Button("Opslaan als", id="opslaan", variant="primary")
                yield Button("Annuleren", id="annuleren")

    def on_mount(self) -> None:
        self.query_one("#save-as-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(self.query_one("#save-as-path", Input).value.strip() if event.button.id == "opslaan" else "")

    def action_cancel(self) -> None:
        self.dismiss("")
