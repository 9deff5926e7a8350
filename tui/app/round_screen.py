"""A new round: its title and why it began, asked before it starts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tui.app.ordered_keys import OrderedInput
from tui.app.safe_text_area import SafeTextArea

# What is said at a field left empty (the guide's cycle: a new round begins for a reason).
MISSING = {
    "titel": "Geef de ronde een titel, zodat het team haar terugvindt (bijvoorbeeld het onderwerp).",
    "aanleiding": "Schrijf op waarom deze ronde begint: een nieuwe ronde heeft een aanleiding (een meting, een nieuw vraagstuk, data die ontbreekt).",
}


class RoundScreen(ModalScreen[dict | None]):
    """Returns {"titel": ..., "aanleiding": ...}, both filled in, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Annuleren", id="round.cancel", tooltip="Geen nieuwe ronde beginnen"),
        Binding("ctrl+s,f2", "accept", "Ronde beginnen", id="round.accept", tooltip="Begin de nieuwe ronde met deze titel en aanleiding"),
    ]

    def __init__(self, number: int, carried: int):
        super().__init__()
        self.number = number
        self.carried = carried  # open actions that come along

    def compose(self) -> ComposeResult:
        with Vertical(id="round-box"):
            yield Static(f"Ronde {self.number} beginnen", id="round-heading", markup=False)
            yield Static(
                "Het vraagstuk en de gekozen bronnen gaan mee"
                + (f", en {self.carried} open {'actie' if self.carried == 1 else 'acties'} (vanaf hun laatste meting)." if self.carried else "."),
                classes="hint",
                markup=False,
            )
            yield Label("Titel van de ronde", markup=False)
            yield OrderedInput(placeholder="bijvoorbeeld: Gezinnen in de herfstvakantie", id="round-titel", select_on_focus=False)
            yield Static("", id="round-titel-message", classes="round-message -empty", markup=False)
            yield Label("Waarom begint deze ronde?", markup=False)
            yield SafeTextArea(id="round-aanleiding")
            yield Static("", id="round-aanleiding-message", classes="round-message -empty", markup=False)
            with Horizontal(id="round-buttons"):
                yield Button("Beginnen (F2)", id="round-begin", variant="primary")
                yield Button("Annuleren (Esc)", id="round-cancel")

    def on_mount(self) -> None:
        self.query_one("#round-titel", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#round-aanleiding", TextArea).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._say("titel", "")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.text.strip():
            self._say("aanleiding", "")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "round-begin":
            self.action_accept()
        else:
            self.action_cancel()

    def values(self) -> dict[str, str]:
        return {"titel": self.query_one("#round-titel", Input).value.strip(), "aanleiding": self.query_one("#round-aanleiding", TextArea).text.strip()}

    def _say(self, key: str, text: str) -> None:
        message = self.query_one(f"#round-{key}-message", Static)
        message.update(text)
        message.set_class(not text, "-empty")

    def action_accept(self) -> None:
        """Only with a title and a reason; an empty one is named at its field and gets the
        focus, and what was typed stays."""
        values = self.values()
        missing = [key for key in ("titel", "aanleiding") if not values[key]]
        for key in ("titel", "aanleiding"):
            self._say(key, MISSING[key] if key in missing else "")
        if missing:
            self.query_one(f"#round-{missing[0]}").focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        if not any(self.values().values()):
            self.dismiss(None)
            return
        from tui.app.confirm_screen import confirm_discard

        confirm_discard(self, "Geen nieuwe ronde beginnen? De titel en de aanleiding die je typte, gaan dan verloren.")
