"""A list of records as a table: a adds, Enter edits, d removes (after asking)."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from tui.session import RecordOp

Column = tuple[str, Callable[[dict], str]]


class RecordTable(Vertical):
    DEFAULT_CSS = """
    RecordTable { height: auto; margin: 0 0 1 0; }
    RecordTable DataTable { height: auto; max-height: 14; }
    RecordTable .detail { color: $text-muted; padding: 0 1; border-left: thick $accent; height: auto; }
    """

    BINDINGS = [
        Binding("a", "add", "Toevoegen", id="records.add", tooltip="Voeg een nieuw record toe"),
        Binding("enter", "edit", "Bewerken", id="records.edit", tooltip="Bewerk het gekozen record"),
        Binding("d,delete", "remove", "Verwijderen", id="records.remove", tooltip="Verwijder het gekozen record (vraagt eerst)"),
    ]

    class Action(Message):
        def __init__(self, table: "RecordTable", action: RecordOp, index: int | None):
            super().__init__()
            self.table = table
            self.action = action
            self.index = index

        @property
        def control(self) -> "RecordTable":
            return self.table

    def __init__(self, title: str, columns: list[Column], empty: str, *, detail: Callable[[dict], str] | None = None, id: str | None = None):
        super().__init__(id=id)
        self.title = title
        self.columns = columns
        self.empty = empty
        self.detail = detail
        self.records: list[dict] = []
        self._count: int | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble((self.title, "bold"), "  ", ("a: toevoegen · Enter: bewerken · d: verwijderen", "dim")))
        table = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns(*[h for h, _ in self.columns])
        yield table
        yield Static(self.empty, classes="empty hint", markup=False)
        if self.detail:
            yield Static("", classes="detail", markup=False)

    def show(self, records: list[dict]) -> None:
        added = self._count is not None and len(records) == self._count + 1
        self._count = len(records)  # the list itself may be the workbook's, changed in place
        self.records = records
        table = self.query_one(DataTable)
        row = len(records) - 1 if added else table.cursor_row  # a record just added is selected
        table.clear()
        for rec in records:
            # Text, not str: DataTable reads a str cell as markup, and a name is what it is
            table.add_row(*[Text(str(fn(rec))) for _, fn in self.columns])
        if records:
            table.move_cursor(row=min(row, len(records) - 1))
        self.query_one(".empty").display = not records
        self._show_detail()
        if added:  # the new record is selected: bring it into view, wherever the table is
            self.call_after_refresh(self._reveal_row)

    def _show_detail(self) -> None:
        if not self.detail:
            return
        index = self.selected_index()
        box = self.query_one(".detail", Static)
        box.update(self.detail(self.records[index]) if index is not None else "")
        box.display = index is not None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()
        if event.data_table.has_focus:
            self.call_after_refresh(self._reveal_row)

    def _reveal_row(self) -> None:
        """Scroll the step (or form) so the chosen row and its detail are on screen: at 80x24 the
        table can start near the bottom, and ↓ or a new record chose rows no one could see."""
        if not self.is_attached or not self.records:
            return
        table = self.query_one(DataTable)
        box = next((a for a in self.ancestors if getattr(a, "allow_vertical_scroll", False) and a.is_scrollable), None)
        if box is None or not table.region or not box.region:
            return
        row_y = table.region.y + (1 if table.show_header else 0) + table.cursor_row - round(table.scroll_offset.y)
        bottom = row_y
        details = self.query(".detail")
        if details and details.first().display and details.first().region:
            bottom = max(bottom, details.first().region.bottom - 1)
        view = box.content_region
        if bottom >= view.bottom:
            box.scroll_relative(y=min(bottom - view.bottom + 1, row_y - view.y), animate=False, immediate=True)
        elif row_y < view.y:
            box.scroll_relative(y=row_y - view.y, animate=False, immediate=True)

    def selected_index(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if self.records and table.cursor_row < len(self.records) else None

    def action_add(self) -> None:
        self.post_message(self.Action(self, RecordOp.ADD, None))

    def action_edit(self) -> None:
        if self.selected_index() is not None:
            self.post_message(self.Action(self, RecordOp.EDIT, self.selected_index()))

    def action_remove(self) -> None:
        if self.selected_index() is not None:
            self.post_message(self.Action(self, RecordOp.REMOVE, self.selected_index()))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()
