"""Keys that arrive together are applied in the order they were typed.

Textual runs a widget's own key bindings (Backspace, Delete, the arrows in a text field) only
after the key has bubbled up to the app, while a letter is inserted by the widget at once. Keys
that arrive in one burst (fast typing over SSH, a paste after a few Backspaces) were so applied
out of order: the letters first, the Backspaces after them, deleting the end of what was just
typed. Text fields here run their own bindings the moment the key reaches them.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


# Invisible characters that are part of what a person writes: the joiner inside an emoji family
# (👩‍👩‍👧) or a Dutch ligature break. Textual drops every key that is not printable; these stay.
JOINERS = frozenset({"\u200d", "\u200c"})


class KeysInOrder:
    """Mixin for a text field: its own (non-priority) bindings run when the key arrives, and its
    cursor is steady (a blinking one repaints twice a second: traffic over SSH, and a dialog's
    screenshot that depends on the moment it is taken)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    async def _on_key(self, event: events.Key) -> None:
        if event.character in JOINERS and not getattr(self, "read_only", False):
            insert = getattr(self, "insert_text_at_cursor", None) or getattr(self, "insert", None)
            if insert is not None:
                insert(event.character)
                event.stop()
                event.prevent_default()
                return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if binding.priority:
                continue  # the app ran those before the key got here
            if await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)  # type: ignore[misc]


class OrderedInput(KeysInOrder, Input):
    """A one-line text field whose keys take effect in the order they were typed."""
