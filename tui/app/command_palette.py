"""Textual's command palette, with PgUp/PgDn safe before its list has been laid out.

Pressed while the list of commands is still being filled (it has options but no lines yet),
PgUp/PgDn raised a KeyError inside Textual's OptionList and ended the app. Here they wait for
the list: before it has a layout, they do nothing. Enter twice in one burst closes it once, and
the busy indicator and the list's visibility, switched after the search, are left alone once
the palette has closed (the search may finish after it).
"""

from __future__ import annotations

from textual.command import CommandList
from textual.command import CommandPalette as TextualCommandPalette

from textual.widgets import LoadingIndicator

from tui.app.alive import DismissOnce, alive


class CommandPalette(DismissOnce, TextualCommandPalette):
    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            for command_list in self.query(CommandList):
                command_list._update_lines()
                highlighted = command_list.highlighted
                if highlighted is not None and highlighted not in command_list._index_to_line:
                    return
        super()._action_command_list(action)

    async def _watch__show_busy(self) -> None:
        if alive(self) and self.query(LoadingIndicator) and self.query(CommandList):
            await super()._watch__show_busy()

    def _watch__list_visible(self) -> None:
        if alive(self) and self.query(CommandList):
            super()._watch__list_visible()
