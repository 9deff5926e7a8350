"""Textual's own English words in the app, in Dutch: the command palette and the drop-down menu."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets._select import SelectOverlay

from tui.app.command_palette import CommandPalette as SafeCommandPalette

PLACEHOLDER = "Zoek een opdracht…"


class DutchCommandPalette(SafeCommandPalette):
    """The command palette with a Dutch prompt and key descriptions."""

    BINDINGS = [
        Binding("ctrl+end, shift+end", "command_list('last')", "Naar het eind", show=False, id="palette.last", tooltip="Naar de laatste opdracht"),
        Binding("ctrl+home, shift+home", "command_list('first')", "Naar het begin", show=False, id="palette.first", tooltip="Naar de eerste opdracht"),
        Binding("down", "cursor_down", "Volgende opdracht", show=False, id="palette.down", tooltip="Naar de volgende opdracht"),
        Binding("escape", "escape", "Sluiten", id="palette.close", tooltip="Sluit de lijst met opdrachten"),
        Binding("pagedown", "command_list('page_down')", "Volgende pagina", show=False, id="palette.page_down", tooltip="Een pagina verder"),
        Binding("pageup", "command_list('page_up')", "Vorige pagina", show=False, id="palette.page_up", tooltip="Een pagina terug"),
        Binding("up", "command_list('cursor_up')", "Vorige opdracht", show=False, id="palette.up", tooltip="Naar de vorige opdracht"),
    ]

    def __init__(self, **kw) -> None:
        kw.setdefault("placeholder", PLACEHOLDER)
        super().__init__(**kw)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's 'No matches found', in Dutch."""
        from rich.align import Align
        from rich.text import Text
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value and self.is_attached and self.query(CommandList):
                self.query_one(CommandList).add_option(Option(Align.center(Text("Geen opdrachten gevonden", style="not bold")), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def dutch_select_menu() -> None:
    """The open drop-down of a choice field says 'Menu sluiten', not 'Dismiss menu'."""
    if getattr(SelectOverlay, "_dutch", False):
        return
    SelectOverlay.BINDINGS = [Binding("escape", "dismiss", "Menu sluiten", id="keuze.sluiten", tooltip="Sluit de keuzelijst zonder te kiezen")]
    SelectOverlay._merged_bindings = SelectOverlay._merge_bindings()
    SelectOverlay._dutch = True
