"""Merge conflicts in the workbook: per value, keep ours or take theirs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui import merge


class ResolveScreen(ModalScreen[int]):
    """Shows every ``[[conflicten]]`` record; a choice is written at once (and the record
    removed). Returns how many conflicts were settled."""

    CSS_PATH = "resolve_screen.tcss"
    BINDINGS = [
        Binding("escape", "close", "Sluiten", id="resolve.close", tooltip="Sluiten; de overige conflicten blijven in het werkboek staan"),
        Binding("down,right", "app.focus_next", "Volgende keuze", show=False, id="resolve.next", tooltip="Naar de volgende knop"),
        Binding("up,left", "app.focus_previous", "Vorige keuze", show=False, id="resolve.previous", tooltip="Naar de vorige knop"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settled = 0

    def compose(self) -> ComposeResult:
        records = merge.conflict_records(self.app.workbook.data)
        with Vertical(id="resolve-box"):
            yield Static("[b]Samenvoegconflicten[/b]", markup=True)
            yield Static(self._intro(len(records)), id="resolve-intro", markup=False)
            with VerticalScroll(id="resolve-list"):
                for n, rec in enumerate(records):
                    with Vertical(classes="resolve-item", id=f"conflict-{n}") as item:
                        item.conflict_id = rec.get("id", "")
                        yield Static(self._where(rec), classes="resolve-path", markup=False)
                        # named by where each came from, never "ours": whoever settles it may be the other side
                        yield Static(self._side("Staat er nu", rec.get("ons_van", ""), rec.get("ons", merge.MISSING)), markup=False)
                        yield Static(self._side("Andere waarde", rec.get("hun_van", ""), rec.get("hun", merge.MISSING)), markup=False)
                        with Horizontal(classes="resolve-buttons"):
                            yield Button("Laten staan", classes="kies-ons")  # equal buttons: the focus alone shows which Enter presses
                            yield Button("Andere waarde nemen", classes="kies-hun")

    @staticmethod
    def _intro(n: int) -> str:
        if not n:
            return "Er staan geen conflicten in het werkboek."
        what = "Eén waarde is" if n == 1 else f"{n} waarden zijn"
        return f"{what} bij het samenvoegen aan beide kanten anders veranderd. Nu staat overal de waarde van één kant. Kies per waarde; Esc sluit."

    def _where(self, rec: dict) -> str:
        """The field in the guide's words ('Organisatie · Naam'), the key path after it for a text editor."""
        pad = str(rec.get("pad", "?"))
        try:
            words = merge.describe_key_path(merge.parse_key_path(pad), self.app.workbook.data)
        except (KeyError, ValueError, TypeError):
            return pad
        return f"{words}  ({pad})" if words != pad else pad

    @staticmethod
    def _side(name: str, origin: str, value) -> str:
        where = f" ({origin})" if origin else ""
        return f"{name}{where}: {merge.show_value(value)}"

    def on_mount(self) -> None:
        buttons = self.query(Button)
        if buttons:
            buttons.first().focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        item = event.button.parent.parent
        choice = "ons" if event.button.has_class("kies-ons") else "hun"
        try:
            self.app.session.resolve_conflict(item.conflict_id, choice)
        except (KeyError, ValueError) as exc:
            self.app.notify(f"Dit conflict is niet opgelost: {exc}", severity="error", title="Conflict")
            return
        self.settled += 1
        await item.remove()  # gone before the focus moves on: the next conflict's first button
        left = len(merge.conflict_records(self.app.workbook.data))
        if not left:
            self.dismiss(self.settled)
            return
        self.query_one("#resolve-intro", Static).update(self._intro(left))
        self._focus_next()

    def _focus_next(self) -> None:
        if self.is_attached:
            buttons = self.query(Button)
            if buttons:
                buttons.first().focus()

    def action_close(self) -> None:
        self.dismiss(self.settled)
