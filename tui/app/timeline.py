"""The cycle timeline: rondes, deadlines, metingen and datalek deadlines along one time axis.

The items and their places come from ``tui.model.timeline``; this widget draws them, marks today
and the chosen item, and moves along them by keyboard. Enter asks the app to open the item.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tui.model import rules
from tui.model import timeline as tl

LABEL_WIDTH = 11  # "Datalekken" and a space
SYMBOL_STYLE = {"✗": "bold red", "!": "bold yellow", "✓": "green", "◆": "bold", "●": "cyan", "○": "", "→": "", "·": "dim", "–": "dim"}


class TimelineChart(Widget, can_focus=True):
    """The drawn axis and lanes; the focus stop of the timeline."""

    DEFAULT_CSS = "TimelineChart { height: 7; } TimelineChart:focus { background: $boost; }"

    selected: reactive[int | None] = reactive(None)

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.items: list[tl.Item] = []
        self.today = dt.date.today()
        self.lay: tl.Layout | None = None

    def chart_width(self) -> int:
        return max(10, self.size.width - LABEL_WIDTH)

    def ensure_layout(self) -> tl.Layout:
        width = self.chart_width()
        if self.lay is None or self.lay.width != width:
            self.lay = tl.layout(self.items, self.today, width)
        return self.lay

    def on_resize(self) -> None:
        self.lay = None
        if isinstance(self.parent, Timeline):
            self.parent.select(self.selected)  # "n van m op deze plek" depends on the width

    def render(self) -> Text:
        lay = self.ensure_layout()
        width = lay.width
        pad = " " * LABEL_WIDTH
        ticks = [" "] * width
        for col, label in lay.ticks.items():
            for k, ch in enumerate(label):
                if col + k < width:
                    ticks[col + k] = ch
        axis = ["─"] * width
        for col in lay.ticks:
            axis[col] = "┴"
        for col in lay.breaks:
            if 0 <= col < width:
                axis[col] = "≈"
        if 0 <= lay.today < width:
            axis[lay.today] = "┼"
        out = Text(no_wrap=True, overflow="crop")
        out.append(pad + "".join(ticks) + "\n", style="dim")
        out.append("Tijd".ljust(LABEL_WIDTH) + "".join(axis) + "\n", style="dim")
        cells: dict[tuple[int, int], list[int]] = {}
        for i, item in enumerate(self.items):
            cells.setdefault((item.lane, lay.columns[i]), []).append(i)
        chosen = None
        if self.selected is not None and self.selected < len(self.items):
            chosen = (self.items[self.selected].lane, lay.columns[self.selected])
        for lane, (_, label) in enumerate(tl.LANES):
            out.append(label.ljust(LABEL_WIDTH), style="bold" if chosen and chosen[0] == lane else "")
            for col in range(width):
                members = cells.get((lane, col))
                if members:
                    symbol = min((self.items[i].symbol for i in members), key=lambda s: tl.URGENCY.index(s) if s in tl.URGENCY else 99)
                    style = SYMBOL_STYLE.get(symbol, "")
                    if chosen == (lane, col):
                        style = (style + " reverse").strip()
                    out.append(symbol, style=style)
                elif col == lay.today:
                    out.append("┆", style="dim")
                else:
                    out.append(" ")
            out.append("\n")
        pointer = [" "] * width
        if chosen:
            pointer[chosen[1]] = "▲"
        out.append(pad + "".join(pointer), style="bold")
        return out


class Timeline(Vertical):
    """Chart plus a description of the chosen item (in words: nothing rests on colour)."""

    DEFAULT_CSS = """
    Timeline { height: auto; }
    Timeline #timeline-legend { color: $text-muted; }
    Timeline #timeline-detail { height: auto; min-height: 3; padding: 0 1; border-left: thick $accent; }
    """

    BINDINGS = [
        Binding("right", "move(1)", "Volgende", id="timeline.next", tooltip="Naar het volgende item in deze rij"),
        Binding("left", "move(-1)", "Vorige", id="timeline.previous", tooltip="Naar het vorige item in deze rij"),
        Binding("pagedown", "jump(1)", "Verder", show=False, id="timeline.jump_next", tooltip="Naar de volgende plek in deze rij (slaat items op dezelfde plek over)"),
        Binding("pageup", "jump(-1)", "Terug", show=False, id="timeline.jump_previous", tooltip="Naar de vorige plek in deze rij"),
        Binding("down", "lane(1)", "Rij lager", show=False, id="timeline.lane_down", tooltip="Naar de rij eronder"),
        Binding("up", "lane(-1)", "Rij hoger", show=False, id="timeline.lane_up", tooltip="Naar de rij erboven"),
        Binding("home", "end(-1)", "Eerste", show=False, id="timeline.first", tooltip="Naar het eerste item in deze rij"),
        Binding("end", "end(1)", "Laatste", show=False, id="timeline.last", tooltip="Naar het laatste item in deze rij"),
        Binding("v", "today", "Vandaag", id="timeline.today", tooltip="Naar het eerste item vanaf vandaag"),
        Binding("enter", "open", "Openen", id="timeline.open", tooltip="Open de ronde, actie, meting of het datalek"),
    ]

    class Opened(Message):
        def __init__(self, item: tl.Item):
            super().__init__()
            self.item = item

    def compose(self) -> ComposeResult:
        yield Static(self._legend(self.size.width or 80), id="timeline-legend", markup=False)
        yield TimelineChart(id="timeline-chart")
        yield Static("", id="timeline-detail", markup=False)

    @staticmethod
    def _legend(width: int) -> str:
        """The legend in lines of at most ``width``, never breaking a symbol from its words."""
        lines: list[str] = []
        for group in ["┆ vandaag", "≈ ingekort", "▲ gekozen", "◆ ronde", "● meting", *rules.status_legend()]:
            if lines and len(lines[-1]) + 2 + len(group) <= width:
                lines[-1] += "  " + group
            else:
                lines.append(group)
        return "\n".join(lines)

    def on_resize(self) -> None:
        legend = self.query("#timeline-legend")
        if legend:
            legend.first(Static).update(self._legend(legend.first(Static).size.width or self.size.width))

    @property
    def chart(self) -> TimelineChart:
        return self.query_one(TimelineChart)

    @property
    def selected(self) -> int | None:
        return self.chart.selected

    @property
    def items(self) -> list[tl.Item]:
        return self.chart.items  # the chart holds the items, today and the layout

    @property
    def today(self) -> dt.date:
        return self.chart.today

    def show(self, items: list[tl.Item], today: dt.date) -> None:
        """New items (after an edit): keep the same item chosen when it is still there."""
        chart = self.chart
        previous = self.items[chart.selected].path if chart.selected is not None and chart.selected < len(self.items) else None
        chart.items, chart.today, chart.lay = items, today, None
        index = next((i for i, it in enumerate(items) if it.path == previous), None) if previous else None
        if index is None:
            index = tl.nearest_to_day(items, today)
            # prefer the latest round when nothing lies ahead
            if index is not None and items[index].day < today:
                index = max((i for i, it in enumerate(items) if it.kind == "ronde"), default=index)
        self.select(index)
        chart.refresh()

    def select(self, index: int | None) -> None:
        self.chart.selected = index
        detail = self.query_one("#timeline-detail", Static)
        if index is None:
            detail.update("Nog niets op de tijdlijn: rondes, deadlines, metingen en datalekken verschijnen hier zodra ze een datum hebben.")
            return
        item = self.items[index]
        lay = self.chart.ensure_layout()
        same = [i for i, it in enumerate(self.items) if it.lane == item.lane and lay.columns[i] == lay.columns[index]]
        lane_items = self._lane_items(item.lane)
        where = f"{lane_items.index(index) + 1} van {len(lane_items)} in deze rij"
        if len(same) > 1:
            where += f", {same.index(index) + 1} van {len(same)} op deze plek"
        detail.update(f"{item.symbol} {item.day:%d-%m-%Y} · {item.title}\n{item.state} · {item.detail}\n{where} · Enter opent")

    # ------------------------------------------------------------------ keys
    def _lane_items(self, lane: int) -> list[int]:
        return [i for i, it in enumerate(self.items) if it.lane == lane]

    def action_move(self, step: int) -> None:
        current = self.selected
        if current is None:
            return
        same_lane = self._lane_items(self.items[current].lane)
        k = same_lane.index(current) + step
        if 0 <= k < len(same_lane):
            self.select(same_lane[k])

    def action_jump(self, step: int) -> None:
        current = self.selected
        if current is None:
            return
        cols = self.chart.ensure_layout().columns
        same_lane = self._lane_items(self.items[current].lane)
        k = same_lane.index(current)
        while 0 <= k + step < len(same_lane):
            k += step
            if cols[same_lane[k]] != cols[current]:
                self.select(same_lane[k])
                return

    def action_lane(self, step: int) -> None:
        current = self.selected
        if current is None:
            return
        cols = self.chart.ensure_layout().columns
        lane = self.items[current].lane + step
        while 0 <= lane < len(tl.LANES):
            found = tl.nearest_in_lane(self.items, cols, current, lane)
            if found is not None:
                self.select(found)
                return
            lane += step

    def action_end(self, step: int) -> None:
        current = self.selected
        if current is None:
            return
        same_lane = self._lane_items(self.items[current].lane)
        self.select(same_lane[-1] if step > 0 else same_lane[0])

    def action_today(self) -> None:
        current = self.selected
        lane = self.items[current].lane if current is not None else None
        candidates = [i for i, it in enumerate(self.items) if (lane is None or it.lane == lane) and it.day >= self.today]
        index = candidates[0] if candidates else tl.nearest_to_day(self.items, self.today)
        if index is not None:
            self.select(index)

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Opened(self.items[self.selected]))
