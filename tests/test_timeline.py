"""The cycle timeline: the model that lays it out, the widget on its own, and opening items in the app."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from tests.helpers import CET, show_tab, timeline_workbook, started
from tui import storage
from tui.app.confirm_screen import ChoiceScreen
from tui.app.record_screen import RecordScreen
from tui.app.timeline import Timeline
from tui.app.werkboek_app import WerkboekApp
from tui.model import rules
from tui.model import timeline as tl

NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=CET)


def data_of(wb: storage.Workbook) -> dict:
    storage.save(wb)
    return tomllib.loads(wb.path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ model


def test_items_cover_rounds_deadlines_measurements_and_breach_deadlines(tmp_path):
    data = data_of(timeline_workbook(tmp_path, 3))
    items = tl.items(data, NOW)
    kinds = [i.kind for i in items]
    assert kinds.count("ronde") == 3
    assert kinds.count("actie") == 6
    measurements = sum(len(a["evaluaties"]) for c in data["cyclus"] for a in c["acties"])
    assert kinds.count("evaluatie") == measurements
    assert kinds.count("datalek") == 1
    assert [i.day for i in items] == sorted(i.day for i in items)
    breach = next(i for i in items if i.kind == "datalek")
    # 72 hours after 08-02-2023 09:30
    assert breach.day == dt.date(2023, 2, 11) and breach.path == ("datalekregister", 0)
    assert "verstreken" in breach.state and breach.symbol == "✗"
    ronde = next(i for i in items if i.path == ("cyclus", 2))
    assert ronde.day == dt.date(2023, 7, 9)
    assert "nu bij 3 Actie & evaluatie" in ronde.state and "klaar: 1 Vraagstuk, 2 Data" in ronde.state


def test_action_and_breach_states_are_words_and_symbols():
    data = {
        "cyclus": [{"nummer": 1, "start": dt.date(2026, 1, 1), "acties": [
            {"id": "a", "titel": "Gehaald", "nulmeting": 10, "streefwaarde": 20, "richting": "verhogen", "deadline": dt.date(2026, 6, 1),
             "evaluaties": [{"datum": dt.date(2026, 3, 1), "waarde": 25}]},
            {"id": "b", "titel": "Verlopen", "nulmeting": 10, "streefwaarde": 20, "richting": "verhogen", "deadline": dt.date(2026, 2, 1)},
            {"id": "c", "titel": "Gestopt", "deadline": dt.date(2026, 2, 1), "status": "gestopt"},
        ]}],
        "datalekregister": [
            {"id": "open", "ontdekt": dt.datetime(2026, 3, 14, 12, 0, tzinfo=CET)},
            {"id": "gemeld", "ontdekt": dt.datetime(2026, 3, 1, 12, 0, tzinfo=CET), "gemeld_ap": "ja"},
        ],
    }
    by_title = {i.title: i for i in tl.items(data, NOW)}
    assert (by_title["Deadline ronde 1: Gehaald"].symbol, by_title["Deadline ronde 1: Gehaald"].state) == ("✓", "gehaald")
    assert by_title["Deadline ronde 1: Verlopen"].symbol == "✗" and by_title["Deadline ronde 1: Verlopen"].state == "verlopen"
    assert by_title["Deadline ronde 1: Gestopt"].state == "gestopt"
    meting = by_title["Meting ronde 1: Gehaald"]
    assert "gemeten 25" in meting.state and "150% van het doel" in meting.state
    assert by_title["Meldtermijn datalek open"].symbol == "!" and "nog 48 uur" in by_title["Meldtermijn datalek open"].state
    assert by_title["Meldtermijn datalek gemeld"].symbol == "✓"


def test_layout_keeps_time_order_and_marks_today_and_ticks(tmp_path):
    items = tl.items(data_of(timeline_workbook(tmp_path, 12)), NOW)
    lay = tl.layout(items, NOW.date(), 65)
    assert all(0 <= c < 65 for c in lay.columns)
    assert lay.columns == sorted(lay.columns)  # items are sorted by day
    assert lay.columns[0] == 0
    assert lay.today == 64  # today is the latest date
    assert set(lay.ticks.values()) == {"2023", "2024", "2025", "2026"}
    starts = sorted(lay.ticks)
    assert all(b > a + len(lay.ticks[a]) for a, b in zip(starts, starts[1:]))  # labels never overlap


def test_a_quiet_stretch_is_compressed_and_marked():
    day = dt.date(2020, 1, 1)
    def item(d):
        return tl.Item("ronde", d, "◆", "", "", "", ("cyclus", 0))
    items = [item(day), item(day + dt.timedelta(days=30)), item(day + dt.timedelta(days=60)), item(day + dt.timedelta(days=3 * 365))]
    lay = tl.layout(items, day + dt.timedelta(days=3 * 365), 60)
    assert len(lay.breaks) == 1
    # the three busy months keep room: on a linear axis they would share about 3 columns
    assert lay.columns[2] - lay.columns[0] >= 12
    assert lay.columns[1] != lay.columns[0] and lay.columns[2] != lay.columns[1]
    assert lay.columns[3] == 59


@settings(max_examples=200, deadline=None)
@given(
    days=st.lists(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), min_size=0, max_size=60),
    today=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    width=st.integers(min_value=1, max_value=200),
)
def test_every_item_gets_a_column_in_order_at_any_width(days, today, width):
    items = sorted((tl.Item("evaluatie", d, "●", "", "", "", ()) for d in days), key=lambda i: i.day)
    lay = tl.layout(items, today, width)
    assert len(lay.columns) == len(items)
    assert all(0 <= c < width for c in lay.columns)
    assert lay.columns == sorted(lay.columns)
    assert 0 <= lay.today < width
    for col, label in lay.ticks.items():
        assert col + len(label) <= width


def test_follow_up_action_carries_the_link_and_starts_from_the_measurement():
    data = {"cyclus": [{"acties": [{
        "id": "gezin", "titel": "Gezinsvoorstelling", "indicator": "bezoekers", "nulmeting": 100, "streefwaarde": 120,
        "richting": "verhogen", "deadline": dt.date(2026, 1, 1), "status": "lopend", "eigenaar": "Marketing",
        "evaluaties": [
            {"datum": dt.date(2025, 10, 1), "waarde": 104, "bijstelling": "Eerst de wijken met scholen."},
            {"datum": dt.date(2025, 11, 1), "waarde": 109, "bijstelling": "Ook op zondagmiddag spelen."},
        ]}]}]}
    latest = rules.follow_up_action(data, 0, 0)
    assert latest["vervolg_op"] == "gezin" and latest["aanleiding_meting"] == dt.date(2025, 11, 1)
    assert latest["nulmeting"] == 109 and latest["doel"] == "Ook op zondagmiddag spelen."
    assert latest["titel"] == "Vervolg: Gezinsvoorstelling" and latest["status"] == "idee"
    assert latest["streefwaarde"] == 120 and latest["eigenaar"] == "Marketing"
    assert "deadline" not in latest and "evaluaties" not in latest and "id" not in latest
    first = rules.follow_up_action(data, 0, 0, 0)
    assert first["nulmeting"] == 104 and first["aanleiding_meting"] == dt.date(2025, 10, 1)


# ------------------------------------------------------------------ the widget on its own


class TimelineApp(App):
    def __init__(self, items, today):
        super().__init__()
        self.items, self.today, self.opened = items, today, []

    def compose(self) -> ComposeResult:
        yield Timeline()

    def on_mount(self) -> None:
        self.query_one(Timeline).show(self.items, self.today)
        self.query_one("#timeline-chart").focus()

    def on_timeline_opened(self, event: Timeline.Opened) -> None:
        self.opened.append(event.item.path)


def chart_text(app) -> str:
    return str(app.query_one("#timeline-chart").render())


def detail_text(app) -> str:
    return str(app.query_one("#timeline-detail").render())


async def test_widget_draws_lanes_today_and_the_chosen_item(tmp_path):
    items = tl.items(data_of(timeline_workbook(tmp_path, 3)), NOW)
    app = TimelineApp(items, NOW.date())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        lines = chart_text(app).splitlines()
        assert [line[:11].strip() for line in lines[2:6]] == ["Rondes", "Deadlines", "Metingen", "Datalekken"]
        assert lines[2].count("◆") == 3
        assert lines[5].count("✗") == 1
        assert all(line.rstrip().endswith("┆") for line in lines[2:4])  # today, after everything
        assert "2023" in lines[0]
        assert lines[6].count("▲") == 1
        # nothing ahead of today: the latest round is chosen
        assert app.query_one(Timeline).selected == max(i for i, it in enumerate(items) if it.kind == "ronde")
        assert "Ronde 3" in detail_text(app) and "3 van 3 in deze rij" in detail_text(app)
        # the legend explains every status symbol, at 80 columns too (it wraps, it is not cut)
        legend = str(app.query_one("#timeline-legend").render())
        for symbol, word, _ in rules.STATUS_WORDS.values():
            assert symbol in legend, symbol
        for word in ("tegenstrijdig", "verlopen", "gestopt", "onbekend", "gehaald", "◆ ronde", "● meting", "▲ gekozen"):
            assert word in legend, word
        assert app.query_one("#timeline-legend").size.height >= 2


async def test_widget_moves_along_lanes_and_opens_with_enter(tmp_path):
    items = tl.items(data_of(timeline_workbook(tmp_path, 3)), NOW)
    app = TimelineApp(items, NOW.date())
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        timeline = app.query_one(Timeline)
        await pilot.press("home")
        assert items[timeline.selected].path == ("cyclus", 0)
        await pilot.press("right")
        assert items[timeline.selected].path == ("cyclus", 1)
        await pilot.press("left", "left")  # stays on the first
        assert items[timeline.selected].path == ("cyclus", 0)
        await pilot.press("down")
        assert items[timeline.selected].kind == "actie"
        await pilot.press("down")
        assert items[timeline.selected].kind == "evaluatie"
        await pilot.press("down", "down")  # the last lane, and no further
        assert items[timeline.selected].kind == "datalek"
        await pilot.press("up", "up", "up")
        assert items[timeline.selected].kind == "ronde"
        await pilot.press("end")
        assert items[timeline.selected].path == ("cyclus", 2)
        await pilot.press("down", "end", "enter")
        last_deadline = [it for it in items if it.kind == "actie"][-1]
        assert app.opened == [last_deadline.path]
        assert last_deadline.title in detail_text(app)


async def test_page_keys_skip_items_that_share_a_place(tmp_path):
    day = dt.date(2026, 1, 5)
    items = [tl.Item("evaluatie", day + dt.timedelta(days=k // 5 * 200), "●", f"Meting {k}", "", "", ("m", k)) for k in range(15)]
    app = TimelineApp(items, day)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        timeline = app.query_one(Timeline)
        await pilot.press("home")
        assert "1 van 5 op deze plek" in detail_text(app)
        await pilot.press("right")
        assert timeline.selected == 1 and "2 van 5 op deze plek" in detail_text(app)
        await pilot.press("pagedown")
        assert timeline.selected == 5
        await pilot.press("pagedown")
        assert timeline.selected == 10
        await pilot.press("pageup")
        assert timeline.selected == 9  # the last item of the previous place


async def test_today_key_goes_to_the_first_item_from_today(tmp_path):
    day = dt.date(2026, 1, 1)
    items = [tl.Item("actie", day + dt.timedelta(days=30 * k), "○", f"Deadline {k}", "", "", ("a", k)) for k in range(6)]
    app = TimelineApp(items, day + dt.timedelta(days=65))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("home", "v")
        assert app.query_one(Timeline).selected == 3


async def test_empty_timeline_says_what_will_appear():
    app = TimelineApp([], dt.date(2026, 1, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await pilot.press("right", "down", "enter", "v")
        assert "Nog niets op de tijdlijn" in detail_text(app)
        assert app.opened == []


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_the_large_workbook_fits_any_width_without_dropping_items(tmp_path, width):
    items = tl.items(data_of(timeline_workbook(tmp_path, 12)), NOW)
    app = TimelineApp(items, NOW.date())
    async with app.run_test(size=(width, 24)) as pilot:
        await started(pilot)
        lines = chart_text(app).splitlines()
        assert all(len(line) <= width for line in lines)
        lay = app.query_one("#timeline-chart").lay
        shown = {(it.lane, lay.columns[i]) for i, it in enumerate(items)}
        for lane, col in shown:  # every place with items shows a symbol
            assert lines[2 + lane][11 + col] not in " ┆"


# ------------------------------------------------------------------ in the app


def overview_app(tmp_path, cycles: int = 3) -> WerkboekApp:
    wb = timeline_workbook(tmp_path, cycles)
    storage.save(wb)
    return WerkboekApp(wb.path, clock=lambda: NOW, autosave=0)


async def to_overview(pilot) -> Timeline:
    app = pilot.app
    await show_tab(pilot, "overzicht")
    assert app.focused is app.query_one("#timeline-chart")
    return app.query_one(Timeline)


async def test_enter_on_a_round_makes_it_the_round_being_edited(tmp_path):
    app = overview_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.cycle_index == 2
        item = await open_from_timeline(pilot, "home")
        assert item.path == ("cyclus", 0)
        assert app.cycle_index == 0
        assert app.query_one("StepTabs").active == "vraagstuk"
        assert "ronde 1/3" in app.sub_title
        kern = app.query_one("#veld-vraagstuk-kernvraag")
        assert kern.value == "Hoe bereiken we gezinnen in wijk 1?"


async def open_from_timeline(pilot, *keys: str) -> tl.Item:
    """Move along the overview's timeline with ``keys``, press Enter; the item that was opened."""
    timeline = await to_overview(pilot)
    await pilot.press(*keys)
    item = timeline.items[timeline.selected]  # the pane may be rebuilt for another round
    await pilot.press("enter")
    await pilot.pause(0.2)
    return item


async def test_enter_on_a_deadline_opens_the_action_of_that_round(tmp_path):
    app = overview_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        item = await open_from_timeline(pilot, "home", "down", "right")
        assert isinstance(app.screen, RecordScreen)
        assert app.cycle_index == item.path[1]
        assert app.screen.record["id"] == app.workbook.data["cyclus"][item.path[1]]["acties"][item.path[3]]["id"]


async def test_enter_on_a_breach_deadline_opens_the_breach(tmp_path):
    app = overview_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        item = await open_from_timeline(pilot, "down", "down", "down")
        assert item.kind == "datalek"
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.record["id"] == "lek-1"


async def test_a_measurement_spawns_a_follow_up_action_written_to_the_file(tmp_path):
    app = overview_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        item = await open_from_timeline(pilot, "home", "down", "down")
        assert item.kind == "evaluatie"
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("tab", "enter")  # Vervolgactie maken
        await pilot.pause(0.2)
        assert isinstance(app.screen, RecordScreen)
        await pilot.press("f2")
        await pilot.pause(0.2)
        await pilot.press("f2")  # save the workbook
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    c, a, e = item.path[1], item.path[3], item.path[5]
    data = tomllib.loads(app.path.read_text(encoding="utf-8"))
    source = data["cyclus"][c]["acties"][a]
    follow = data["cyclus"][c]["acties"][-1]
    assert follow["vervolg_op"] == source["id"]
    assert follow["aanleiding_meting"] == source["evaluaties"][e]["datum"]
    assert follow["nulmeting"] == source["evaluaties"][e]["waarde"]
    assert follow["titel"] == f"Vervolg: {source['titel']}"
    assert follow["id"] not in {x["id"] for x in data["cyclus"][c]["acties"][:-1]}


async def test_follow_up_from_the_action_list_in_step_3(tmp_path):
    app = overview_app(tmp_path, 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        await show_tab(pilot, "actie")
        app.query_one("#acties DataTable").focus()
        await pilot.press("down", "v")
        await pilot.pause(0.2)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.record["vervolg_op"] == "r1-a2"
        await pilot.press("escape")  # cancelled: nothing changes
        await pilot.pause(0.1)
        assert not app.workbook.dirty
        assert len(app.workbook.data["cyclus"][0]["acties"]) == 2


async def test_an_earlier_round_can_be_chosen_and_edited(tmp_path):
    app = overview_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await started(pilot)
        app.action_choose_cycle()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first button: Ronde 1
        await pilot.pause(0.3)
        assert app.cycle_index == 0
        app.apply(("cyclus", app.cycle_index, "vraagstuk", "bereiken"), "Gezinnen uit wijk 1.")
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
    data = tomllib.loads(app.path.read_text(encoding="utf-8"))
    assert data["cyclus"][0]["vraagstuk"]["bereiken"] == "Gezinnen uit wijk 1."
    assert "bereiken" not in data["cyclus"][2]["vraagstuk"]
