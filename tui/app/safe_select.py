"""A Select that survives the app quitting while it mounts.

A form is mounted after the first frame. When the person quits at that very moment (Ctrl+Q the
instant the screen appears), Textual's own ``Select`` may get its mount event after its inner
parts were torn down, and filling in its options or showing its value there raised ``NoMatches``: the app ended with an
error instead of quietly. Once the app is quitting (or the widget has left the screen) there is
nothing to show, so the value is only remembered.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Select

from tui.app.alive import alive


class SafeSelect(Select):
    def _on_mount(self, event) -> None:
        if not alive(self):
            return  # its overlay may be gone already (seen under load); the value stays as given
        super()._on_mount(event)

    def _watch_value(self, value: Any) -> None:
        if not alive(self):
            self._value = value  # what Textual's watcher records first; nothing to draw any more
            return
        super()._watch_value(value)
