"""A list of choices whose marks say chosen or not by their shape, not only their colour."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class MarkedSelectionList(SelectionList[str]):
    """Textual draws the same X in every box and tells chosen from not by colour alone (in 256
    colours hardly at all): here a chosen one shows ✓, one not chosen an empty box."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(round(self.scroll_offset.y) + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 2:
            return strip
        mark = "✓" if option.value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
