"""Changes from an Excel file that management edited: accept or skip each one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, SelectionList, Static

from tui.app.ordered_keys import OrderedInput
from tui.exchange import Change, ExchangeError, ImportResult, read_changes
from tui.oserror import reason


class ImportScreen(ModalScreen[list[Change] | None]):
    """Reads an edited export (in a worker) and returns the changes the user keeps; None: nothing."""

    CSS_PATH = Path(__file__).parent / "import_screen.tcss"
    BINDINGS = [Binding("escape", "cancel", "Annuleren", id="import.cancel", tooltip="Terug zonder iets over te nemen")]

    def __init__(self, data: dict, xlsx: str, workbook_name: str = ""):
        super().__init__()
        self.data = data  # a snapshot of the workbook's values
        self.xlsx = xlsx
        self.workbook_name = workbook_name  # to say so when the export was made from another workbook
        self.result: ImportResult | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static("Wijzigingen uit Excel overnemen", id="import-title")
            yield Static("Het Excel-bestand (een export die het management heeft aangepast); Enter leest het:", classes="hint")
            yield OrderedInput(self.xlsx, id="import-path")
            yield Static("", id="import-status", markup=False)
            yield SelectionList[int](id="import-changes")
            with VerticalScroll(id="import-findings"):
                yield Static("", id="import-findings-text", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button("Aangevinkte overnemen", id="import-accept", variant="primary", disabled=True)
                yield Button("Annuleren", id="import-cancel")

    def on_mount(self) -> None:
        self.query_one("#import-changes", SelectionList).display = False
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#import-status", Static).update("Bezig met lezen…")
        self._read(event.value.strip())

    @work(thread=True, exclusive=True, group="import")
    def _read(self, path: str) -> None:
        try:
            result: ImportResult | str = read_changes(self.data, path)
        except ExchangeError as exc:
            result = str(exc)
        except OSError as exc:
            result = f"{path}: {reason(exc)}"
        self.app.call_from_thread(self._show, result)

    def _show(self, result: ImportResult | str) -> None:
        if not self.is_attached or self.app._exit:  # closed meanwhile
            return
        status = self.query_one("#import-status", Static)
        changes = self.query_one("#import-changes", SelectionList)
        findings = self.query_one("#import-findings-text", Static)
        accept = self.query_one("#import-accept", Button)
        changes.clear_options()
        if isinstance(result, str):
            self.result = None
            status.update(result)
            findings.update("")
            changes.display = False
            accept.disabled = True
            return
        self.result = result
        n = len(result.changes)
        note = "; het werkboek is sindsdien gewijzigd" if result.workbook_changed else ""
        other = (f"Let op: deze export is gemaakt uit {result.source}, niet uit {self.workbook_name}. "
                 if result.source and self.workbook_name and result.source != self.workbook_name else "")
        status.update(f"{other}Export van {result.exported}{note}. {n} {'wijziging' if n == 1 else 'wijzigingen'}"
                      + (": vink uit wat je niet wilt overnemen (spatie)." if n else "."))
        changes.add_options([(Text(c.format()), i, True) for i, c in enumerate(result.changes)])
        changes.display = bool(n)
        lines = [f"conflict: {f.format()}" for f in result.conflicts]
        lines += [f"ongeldig: {f.format()}" for f in result.invalid]
        lines += [f"genegeerd: {f.format()}" for f in result.ignored]
        findings.update("\n".join(lines) or "Geen conflicten, ongeldige cellen of genegeerde kolommen.")
        accept.disabled = not n
        if n:
            changes.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-accept" and self.result is not None:
            chosen = set(self.query_one("#import-changes", SelectionList).selected)
            self.dismiss([c for i, c in enumerate(self.result.changes) if i in chosen])
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Esc: straight back when nothing was read or typed; with changes on screen (or a path
        typed) ask first."""
        typed = self.query_one("#import-path", Input).value.strip() != self.xlsx.strip()
        if self.result is not None and not self.result.changes or not typed and self.result is None:
            self.dismiss(None)  # nothing that could be taken over would be lost
            return
        from tui.app.confirm_screen import confirm_discard

        if self.result is not None:
            confirm_discard(self, "Niets overnemen? De wijzigingen uit het Excel-bestand blijven dan buiten het werkboek.", keep="Terug naar de wijzigingen", drop="Niets overnemen")
        else:
            confirm_discard(self, "Het getypte pad niet inlezen?", keep="Terug", drop="Niet inlezen")
