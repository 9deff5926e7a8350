"""Text in large letters made of terminal cells (tui/model/bigtext.py draws them).

The screen that holds it decides the size (``show``), because the texts of one slide share the
space: the question gets the largest letters, the answer what is left.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.model.bigtext import NORMAAL, Rendering


class BigText(Widget):
    DEFAULT_CSS = """
    BigText { width: 100%; height: auto; }
    BigText.-empty { display: none; }
    """

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text
        self.rendering: Rendering | None = None

    def show(self, rendering: Rendering) -> None:
        self.rendering = rendering
        self.set_class(rendering.height == 0, "-empty")
        self.set_class(rendering.size == NORMAAL, "-normaal")
        self.refresh(layout=True)

    @property
    def size_name(self) -> str:
        return self.rendering.size if self.rendering else ""

    def render(self) -> Text:
        # the letters are drawn from the font, and ordinary text is a Text: never markup
        if not self.rendering:
            return Text("")
        width = self.content_region.width
        if self.rendering.size == NORMAAL:  # ordinary text: each line centred
            return Text("\n".join(" " * max(0, (width - len(line)) // 2) + line for line in self.rendering.lines), no_wrap=True, overflow="crop", end="")
        # a block of letters is centred as a whole: its rows keep their shared left edge
        left = " " * max(0, (width - self.rendering.width) // 2)
        return Text("\n".join(left + line for line in self.rendering.lines), no_wrap=True, overflow="crop", end="")
