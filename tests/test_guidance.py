"""What the app tells a team: contradicting goals, statuses, actualiteit, rounds (model and CLI)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.helpers import run_cli

CONTRADICTING = '''schema = 1

[[cyclus]]
nummer = 1

[[cyclus.acties]]
id = "wachttijd"
titel = "Wachttijd kassa"
nulmeting = 40
streefwaarde = 60
richting = "verlagen"

[[cyclus.acties]]
id = "klachten"
titel = "Klachten"
nulmeting = 10
streefwaarde = -5
richting = "verhogen"

[[cyclus.acties]]
id = "goed"
titel = "Goed"
nulmeting = 10
streefwaarde = 5
richting = "verlagen"
'''


def test_check_reports_a_contradicting_goal_as_a_content_problem_with_its_key_path(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(CONTRADICTING, encoding="utf-8")
    r = run_cli("check", str(path))
    assert r.returncode == 1, r.stdout
    assert f"{path}:10:1: cyclus[1].acties[1].streefwaarde: tegenstrijdig doel: streefwaarde 60 ligt boven de nulmeting 40, maar de richting is ‘verlagen’" in r.stdout
    assert f"{path}:17:1: cyclus[1].acties[2].streefwaarde: tegenstrijdig doel: streefwaarde -5 ligt onder de nulmeting 10" in r.stdout
    assert "acties[3]" not in r.stdout
    assert "2 problemen gevonden" in r.stderr


def _round_with_actions() -> dict:
    m = {"nulmeting": 100, "streefwaarde": 200, "richting": "verhogen"}
    return {"cyclus": [{"nummer": 1, "start": dt.date(2025, 1, 1), "acties": [
        m | {"id": "matinee", "titel": "Matinee", "status": "afgerond", "deadline": dt.date(2025, 6, 1), "evaluaties": [{"datum": dt.date(2025, 5, 20), "waarde": 193}]},
        m | {"id": "nieuw", "titel": "Nieuw", "status": "idee", "deadline": dt.date(2026, 6, 1)},
        m | {"id": "laat", "titel": "Laat", "status": "bezig", "deadline": dt.date(2025, 9, 1), "evaluaties": [{"datum": dt.date(2025, 8, 1), "waarde": 120}]},
        m | {"id": "goed", "titel": "Goed", "status": "bezig", "deadline": dt.date(2026, 6, 1), "evaluaties": [{"datum": dt.date(2025, 11, 1), "waarde": 190}]},
    ]}]}


def test_the_timeline_and_the_export_show_the_one_status_of_each_action():
    from tui import export
    from tui.model import rules
    from tui.model import timeline as tl

    data = _round_with_actions()
    today = dt.date(2025, 12, 1)
    now = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
    expected = {a["titel"]: rules.action_status(a, today, dt.date(2025, 1, 1)) for a in data["cyclus"][0]["acties"]}
    assert {t: s.text for t, s in expected.items()} == {"Matinee": "✓ afgerond", "Nieuw": "· nog niet gemeten", "Laat": "✗ verlopen", "Goed": "→ op koers"}
    shown = {i.title.split(": ", 1)[1]: (i.symbol, i.state) for i in tl.items(data, now) if i.kind == "actie"}
    assert shown == {t: (s.symbol, s.word) for t, s in expected.items()}
    exported = {r["actie"]: r["deadline_status"] for r in export.rows_evaluatielog(data, today)}
    assert exported == {t: expected[t].word for t in exported} and exported["Matinee"] == "afgerond"


@pytest.mark.parametrize(
    "answer,updated,value,warned",
    [
        ("", dt.date(2025, 6, 1), "ja", False),  # proposed from a recent date
        ("", dt.date(2023, 6, 1), "nee", False),  # proposed from an old date
        ("ja", dt.date(2023, 6, 1), "ja", True),  # the team says current, the date says old
        ("nee", dt.date(2025, 6, 1), "nee", True),
        ("ja", dt.date(2025, 6, 1), "ja", False),
        ("", None, "", False),
    ],
)
def test_actualiteit_is_proposed_from_the_date_and_shown_and_exported_alike(answer, updated, value, warned):
    from tui import export
    from tui.model import rules

    today = dt.date(2025, 12, 1)
    src = {"id": "web", "naam": "Website", "actualiteit": answer} | ({"bijgewerkt": updated} if updated else {})
    act = rules.actualiteit(src, today, 12)
    assert act.value == value and bool(act.warning) == warned
    assert act.answered == bool(answer)
    row = next(export.rows_databronnen({"databronnen": [src]}, today))
    assert row["actualiteit"] == act.value
    if warned:
        assert "⚠" in row["notities"] and act.symbol == "⚠"
        notices = [n for n in rules.workbook_notices({"databronnen": [src]}, dt.datetime(2025, 12, 1, tzinfo=dt.timezone.utc)) if n.path == "databronnen[1].actualiteit"]
        assert notices and "bijgewerkt" in notices[0].message
    elif value and not answer:
        assert "voorstel" in row["notities"]


def test_a_report_after_the_72_hours_is_late_and_asks_for_the_reason_in_dutch_time():
    from tui.model import rules
    from tui.model.values import local_time

    found = dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.timezone.utc)  # 10:00 in Amsterdam (CET)
    now = dt.datetime(2026, 4, 10, 12, 0, tzinfo=dt.timezone.utc)
    breach = {"id": "lek", "ontdekt": found, "gemeld_ap": "ja", "gemeld_op": found + dt.timedelta(hours=80)}
    clock = rules.breach_clock(breach, now)
    assert clock.state == "te_laat_gemeld" and "te laat gemeld: 8 uur na de termijn" in clock.label and "reden" in clock.label
    # the deadline crosses the switch to summer time: 72 real hours later is 11:00 in Amsterdam
    assert local_time(clock.deadline) == "30-03-2026 11:00"
    notices = [n for n in rules.workbook_notices({"datalekregister": [breach]}, now) if n.path == "datalekregister[1].reden_vertraging"]
    assert notices and "30-03-2026 11:00" in notices[0].message
    assert "reden van de vertraging" in rules.breach_advice(breach, now).lower() or "Reden van melding" in rules.breach_advice(breach, now)
    explained = breach | {"reden_vertraging": "Het lek kwam pas na het weekend bij de FG."}
    assert rules.breach_clock(explained, now).reason_given
    assert not [n for n in rules.workbook_notices({"datalekregister": [explained]}, now) if "reden_vertraging" in n.path]
    on_time = breach | {"gemeld_op": found + dt.timedelta(hours=70)}
    assert rules.breach_clock(on_time, now).state == "gemeld"


def test_the_presence_notice_speaks_dutch_time():
    from pathlib import Path

    from tui.presence import Presence

    p = Presence("anna", "werkplek", 1, dt.datetime(2026, 7, 1, 8, 5, tzinfo=dt.timezone.utc), Path("x"))
    assert p.label == "anna op werkplek sinds 01-07-2026 10:05"
    # the short notice the app shows, whatever the machine's own zone (UTC on a server)
    assert p.short_label(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.timezone.utc)) == "anna op werkplek sinds 10:05"
    assert p.short_label(dt.datetime(2026, 7, 2, 9, 0, tzinfo=dt.timezone.utc)) == "anna op werkplek sinds 01-07 10:05"


def test_an_export_speaks_dutch_time_whatever_the_machines_zone(tmp_path):
    from openpyxl import load_workbook

    from tests.helpers import filled_workbook
    from tui import export

    wb = filled_workbook(tmp_path)
    out = tmp_path / "uit.xlsx"
    export.export_workbook(wb.data, out, now=dt.datetime(2026, 12, 7, 13, 50, tzinfo=dt.timezone.utc))
    book = load_workbook(out)
    assert "Geëxporteerd 07-12-2026 14:50" in book["Verwerkingsregister"].oddHeader.right.text
    headers = [c.value for c in book["Evaluatielog"][1]]
    assert any("07-12-2026 14:50" in str(h) for h in headers), headers


def test_a_carried_action_starts_from_its_latest_measurement_without_old_results():
    from tui.model import rules
    from tui.model.validate import validate

    data = {"schema": 1, "cyclus": [{"nummer": 1, "start": dt.date(2025, 1, 1), "acties": [
        {"id": "gezin", "titel": "Gezinnen", "status": "lopend", "nulmeting": 100, "streefwaarde": 200, "richting": "verhogen",
         "deadline": dt.date(2025, 12, 1), "ab": {"groep_a": "nieuw", "resultaat_a": 3, "groep_b": "bestaand", "resultaat_b": 5},
         "evaluaties": [{"datum": dt.date(2025, 9, 1), "waarde": 150}, {"datum": dt.date(2025, 5, 1), "waarde": 120}]},
        {"id": "klaar", "titel": "Klaar", "status": "afgerond"},
        {"id": "nooit", "titel": "Nog niet gemeten", "status": "idee", "vervolg_op": "klaar", "aanleiding_meting": dt.date(2024, 1, 1), "nulmeting": 7},
    ]}]}
    new = rules.next_cycle(data, 0, dt.date(2026, 1, 5), "De zaal bleef halfvol.", "Gezinnen, ronde twee")
    assert (new["titel"], new["aanleiding"], new["start"]) == ("Gezinnen, ronde twee", "De zaal bleef halfvol.", dt.date(2026, 1, 5))
    gezin, nooit = new["acties"]
    assert gezin["nulmeting"] == 150 and gezin["aanleiding_meting"] == dt.date(2025, 9, 1) and gezin["vervolg_op"] == "gezin"
    assert "evaluaties" not in gezin and "ab" not in gezin
    # no measurement: the baseline stays, and no measurement is named that does not belong to vervolg_op
    assert nooit["nulmeting"] == 7 and nooit["vervolg_op"] == "nooit" and "aanleiding_meting" not in nooit
    data["cyclus"].append(new)
    assert not [p for p in validate(data) if p.severity == "fout"]


def test_new_records_are_written_after_their_own_list_not_after_the_last_example(tmp_path):
    import tomllib

    from tests.helpers import new_workbook
    from tui import storage

    path = new_workbook(tmp_path)
    wb = storage.load(path)
    wb.append(("databronnen",), {"id": "web", "naam": "Website"})
    wb.append(("datalekregister",), {"id": "lek", "samenvatting": "Mail aan verkeerde lijst"})
    wb.append(("databronnen",), {"id": "tick", "naam": "Ticketing"})
    wb.append(("verwerkingsregister",), {"id": "kaart", "naam": "Kaartverkoop", "doelen": [{"doel": "Verkoop"}]})
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    assert tomllib.loads(text)["databronnen"] == [{"id": "web", "naam": "Website"}, {"id": "tick", "naam": "Ticketing"}]
    example, web, tick = text.index("# [[databronnen]]"), text.index('\n[[databronnen]]\nid = "web"'), text.index('[[databronnen]]\nid = "tick"')
    organisation = text.index("# Organisatorische aspecten")
    assert example < web < tick < organisation  # in their place, in order, before the next part of the guide
    assert '\n\n[[databronnen]]\nid = "web"' in text and '"Website"\n\n[[databronnen]]\nid = "tick"' in text
    register = text.index('[[verwerkingsregister]]\nid = "kaart"')
    assert text.index("# [[verwerkingsregister]]") < register < text.index("# Datalekregister")
    assert text.index("# [[datalekregister]]") < text.index('[[datalekregister]]\nid = "lek"')
    assert not text.rstrip().endswith('status = "open"')


def test_a_new_record_in_a_filled_workbook_follows_the_last_of_its_list(tmp_path):
    from tests.helpers import new_workbook
    from tui import storage

    path = new_workbook(tmp_path, template="mariniersmuseum")
    wb = storage.load(path)
    before = len(wb.data["databronnen"])
    wb.append(("databronnen",), {"id": "nieuw", "naam": "Nieuwe bron"})
    storage.save(wb)
    text = path.read_text(encoding="utf-8")
    last_old = text.index(f'id = "{wb.data["databronnen"][before - 1]["id"]}"')
    new = text.index('\n\n[[databronnen]]\nid = "nieuw"')
    assert last_old < new
    assert all(text.index(f'id = "{s["id"]}"') < new for s in wb.data["databronnen"][:before])


def test_an_answer_hidden_by_a_lower_level_is_not_counted_and_check_says_so():
    from tui.model import rules

    answers = {k: "ja" for k in ("strategie", "visie", "eigenaar", "kennis")} | {"vanzelfsprekend": "ja"}
    assert rules.experience_level(answers).key == "uitvoerend"
    dropped = answers | {"strategie": "nee", "visie": "nee", "eigenaar": "nee", "kennis": "nee", "klantenbestand": "nee"}
    assert rules.experience_level(dropped).key == "startend"
    data = {"cyclus": [{"nummer": 1, "data": {"ervaring": dropped}}]}
    notices = [n for n in rules.workbook_notices(data, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)) if n.path == "cyclus[1].data.ervaring.vanzelfsprekend"]
    assert notices and "telt niet mee" in notices[0].message and "startend" in notices[0].message
    data["cyclus"][0]["data"]["ervaring"] = answers
    assert not [n for n in rules.workbook_notices(data, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)) if "vanzelfsprekend" in n.path]


def test_the_usefulness_table_follows_the_guides_appendix_for_the_rounds_sources():
    from tui.model import rules

    data = {"databronnen": [
        {"id": "crm", "naam": "Klantenbestand", "herkomst": "intern", "anonimiteit": "gepersonaliseerd"},
        {"id": "cbs", "naam": "Regiocijfers", "herkomst": "extern", "anonimiteit": "anoniem"},
        {"id": "lab", "naam": "Partnerdata", "herkomst": "partner", "anonimiteit": "anoniem"},
    ], "cyclus": [{"nummer": 1, "data": {"bronnen": ["crm", "cbs"]}}]}
    assert list(rules.usefulness_departments().values()) == ["Strategie", "Programmeren", "Marketingcommunicatie/verkoop", "Publieks-/klantbeleving"]
    rows = rules.usefulness_table(data, 0)
    assert [r.naam for r in rows] == ["Klantenbestand", "Regiocijfers"]  # only this round's sources
    crm, cbs = rows
    assert crm.per_afdeling == {"strategie": "weinig", "programmeren": "weinig", "marketing": "zeer", "beleving": "zeer"}
    assert cbs.per_afdeling == {"strategie": "zeer", "programmeren": "zeer", "marketing": "zeer", "beleving": "weinig"}
    assert (crm.toegang, cbs.toegang) == ("Volledige toegang", "Beperkte toegang")
    data["cyclus"][0]["data"]["bronnen"] = []
    assert len(rules.usefulness_table(data, 0)) == 3


def test_register_records_take_controller_and_fg_from_the_organisation_unless_they_name_their_own():
    from tui import export
    from tui.model import rules

    data = {"organisatie": {"naam": "Theater De Proef", "verantwoordelijke": "Stichting De Proef, info@deproef.nl", "fg": "Privacy Company, fg@example.nl"},
            "verwerkingsregister": [{"id": "kaart", "naam": "Kaartverkoop"}, {"id": "lab", "naam": "Onderzoek", "fg": "FG van de universiteit"}]}
    own, other = data["verwerkingsregister"]
    assert rules.register_party(own, data, "verantwoordelijke") == "Stichting De Proef, info@deproef.nl"
    assert rules.register_party(other, data, "fg") == "FG van de universiteit"
    # the export names the organisation's controller and FG once, above the register; a row names
    # them only where the record has its own
    assert export._controller(data)[0] == "Stichting De Proef, info@deproef.nl"
    assert export._controller(data)[2] == "Privacy Company, fg@example.nl"
    rows = {r["kenmerk"]: r for r in export.rows_verwerkingsregister(data, dt.date(2026, 1, 1))}
    assert rows["kaart"]["fg"] == "" and rows["lab"]["fg"] == "FG van de universiteit"
    assert rows["lab"]["verantwoordelijke"] == ""


@pytest.mark.parametrize(
    "direction,a,b,better",
    [("verhogen", 3.5, 4.2, "B"), ("verhogen", 80, 60, "A"), ("verlagen", 12, 8, "B"), ("onder_houden", 5, 9, "A"), ("verhogen", 7, 7, "gelijk")],
)
def test_ab_comparison_side_by_side_with_difference_winner_and_learning_also_in_the_evaluation_log(direction, a, b, better):
    from tui import export
    from tui.model import rules

    action = {"titel": "Lab", "richting": direction, "deadline": dt.date(2026, 6, 1),
              "ab": {"groep_a": "bestaand publiek", "groep_b": "nieuw publiek", "resultaat_a": a, "resultaat_b": b, "leerpunt": "Nieuw publiek reageert op de livestream"},
              "evaluaties": [{"datum": dt.date(2026, 3, 1), "waarde": 1}]}
    ab = rules.ab_comparison(action)
    assert ab.beter == better and ab.verschil == round(b - a, 10)
    assert "0000" not in ab.text
    assert "A bestaand publiek" in ab.text and "B nieuw publiek" in ab.text and "leerpunt: Nieuw publiek" in ab.text
    assert ("deed het beter" in ab.text) == (better != "gelijk")
    data = {"cyclus": [{"nummer": 1, "acties": [action]}]}
    row = next(export.rows_evaluatielog(data, dt.date(2026, 3, 2)))
    assert row["ab"] == ab.text
    assert rules.ab_comparison({"titel": "zonder"}) is None
