"""A TextArea that a frame drawn mid-change cannot crash.

A slide of presentation mode, or a form, is replaced while the screen is being drawn: the old
TextArea is taken out of the page (its component styles are cleared when it leaves), or the new
one is drawn before its styles were worked out. Textual's TextArea then asks for the style of
its gutter and raises ``KeyError: No 'text-area--gutter' key in COMPONENT_CLASSES``, which ends
the app with the unsaved text. Such a TextArea is about to be replaced or styled: for that one
frame it draws nothing.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from tui.app.ordered_keys import KeysInOrder


class SafeTextArea(KeysInOrder, TextArea):
    """Also: its keys take effect in the order they were typed (see tui/app/ordered_keys.py)."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self._component_styles:  # not styled yet, or already removed
            return [Strip.blank(crop.width) for _ in range(crop.height)]
        return super().render_lines(crop)
