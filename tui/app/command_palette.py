"""Textual's command palette, with PgUp/PgDn safe before its list has been laid out.

Pressed while the list of commands is still being filled (it has options but no lines yet),
PgUp/PgDn raised a KeyError inside Textual's OptionList and ended the app. Here they wait for
the list: before it has a layout, they do nothing. Enter twice in one burst closes it once.
"""

from __future__ import annotations

from textual.command import CommandList
from textual.command import CommandPalette as TextualCommandPalette

from tui.app.alive import DismissOnce


class CommandPalette(DismissOnce, TextualCommandPalette):
    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            for command_list in self.query(CommandList):
                command_list._update_lines()
                highlighted = command_list.highlighted
                if highlighted is not None and highlighted not in command_list._index_to_line:
                    return
        super()._action_command_list(action)
