"""The footer, rebuilt only when the keys it shows change.

Textual's Footer throws its keys away and composes them again after every focus move (each
focused widget may bring bindings of its own). In a form most moves go from one text field to
the next, with the same keys: rebuilding then only costs time (every key widget is restyled),
on every Tab, for a footer that looks the same.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    _shown: tuple | None = None

    def _what_it_shows(self, screen: Screen) -> tuple:
        """Everything ``Footer.compose`` reads: the shown bindings, whether each is enabled,
        their texts and key displays, and the palette key."""
        app = self.app
        return tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, binding.group, enabled, tooltip, binding.tooltip)
            for _node, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        ) + (self.show_command_palette, self.compact)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._what_it_shows(screen)
            if shown == self._shown and self._bindings_ready:
                return
            self._shown = shown
        super().bindings_changed(screen)
