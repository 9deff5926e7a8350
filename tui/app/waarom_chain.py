"""5x waarom: each answer shown under the previous one, until the team reaches the core."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from tui.app.ordered_keys import OrderedInput
from tui.model.guide import guide

MAX = 5


class WaaromChain(Vertical):
    spec_path = "cyclus[].vraagstuk"  # F1 shows the guide's text for this field
    help_key = "waarom"

    class Changed(Message):
        def __init__(self, answers: list[str]):
            super().__init__()
            self.answers = answers

    def __init__(self, answers: list[str], question: str, *, id: str | None = None):
        super().__init__(id=id)
        self.answers = list(answers)[:MAX]
        self.question = question

    def compose(self) -> ComposeResult:
        yield Label(self.question)
        yield Static("Tip: " + guide()["stappen"]["vraagstuk"]["tips"][1], classes="tip")
        for i in range(MAX):
            value = self.answers[i] if i < len(self.answers) else ""
            inp = OrderedInput(value, placeholder=f"{i + 1}. Waarom?", id=f"waarom-{i + 1}", classes=f"step-{i + 1}", select_on_focus=False)
            inp.cursor_blink = False  # steady cursor: no repaint traffic over SSH
            yield inp

    def on_mount(self) -> None:
        self._reveal()

    def _reveal(self) -> None:
        # Show the answers given plus one empty line for the next 'waarom'.
        filled = len(self.answers)
        for i, inp in enumerate(self.query(Input)):
            inp.display = i <= filled

    def show_answers(self, answers: list[str]) -> None:
        """Show answers changed elsewhere (presentation mode, a reload) without sending them back."""
        answers = list(answers or [])[:MAX]
        if answers == self.answers:
            return
        self.answers = answers
        with self.prevent(Input.Changed):
            for i, inp in enumerate(self.query(Input)):
                inp.value = answers[i] if i < len(answers) else ""
        self._reveal()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        values = [inp.value.strip() for inp in self.query(Input)]
        while values and not values[-1]:
            values.pop()
        if values != self.answers:
            self.answers = values
            self._reveal()
            self.post_message(self.Changed(values))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves on to the next 'waarom' (shown as soon as this one has an answer)."""
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs) and event.input.value.strip():
            nxt = inputs[index + 1]
            nxt.display = True
            nxt.focus()
            nxt.cursor_position = len(nxt.value)

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, Input):
            event.widget.cursor_position = len(event.widget.value)
