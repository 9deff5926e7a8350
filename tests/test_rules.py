"""The guide's rules: experience level, usefulness matrix, hygiene, the 72-hour clock, progress."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from tui.model import rules
from tui.model.guide import guide

QUESTIONS = guide()["ervaring"]["vragen"]
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("answers", list(itertools.product(["ja", "nee"], repeat=7)))
def test_experience_level_is_the_majority_of_all_128_answer_sets(answers):
    level = rules.experience_level(dict(zip(QUESTIONS, answers)))
    ja = answers.count("ja")
    assert level.key == ("lerend" if ja >= 4 else "startend")
    assert (level.ja, level.nee, level.open) == (ja, 7 - ja, 0)


def test_level_advice_comes_from_the_guide():
    start = rules.experience_level(dict.fromkeys(QUESTIONS, "nee"))
    assert start.naam == "Startend"
    assert "stel 1-3 prioriteiten" in start.advies
    learn = rules.experience_level(dict.fromkeys(QUESTIONS, "ja"))
    assert "stel een groepje mensen verantwoordelijk" in learn.advies


def test_lerend_with_the_follow_up_yes_is_uitvoerend_and_out_of_scope():
    answers = dict.fromkeys(QUESTIONS, "ja") | {"vanzelfsprekend": "ja"}
    level = rules.experience_level(answers)
    assert level.key == "uitvoerend"
    assert "buiten de scope" in level.advies
    # the follow-up only counts for a learning organisation
    assert rules.experience_level(dict.fromkeys(QUESTIONS, "nee") | {"vanzelfsprekend": "ja"}).key == "startend"


def test_ties_and_open_answers_are_shown_honestly():
    tie = dict(zip(QUESTIONS, ["ja", "ja", "ja", "nee", "nee", "nee", ""]))
    level = rules.experience_level(tie)
    assert (level.key, level.ja, level.nee, level.open) == ("gelijk", 3, 3, 1)
    assert rules.experience_level({}).key == "onbekend"
    assert rules.experience_level(dict(zip(QUESTIONS, ["ja", "ja", "nee"]))).key == "onbekend"
    # four of seven decide even with questions open
    assert rules.experience_level(dict(zip(QUESTIONS, ["nee"] * 4))).key == "startend"


MATRIX = {  # from the guide's appendix, booklet wording
    ("strategie", "anoniem"): "zeer",
    ("strategie", "gepersonaliseerd"): "weinig",
    ("programmeren", "anoniem"): "zeer",
    ("programmeren", "gepersonaliseerd"): "weinig",
    ("marketing", "anoniem"): "zeer",
    ("marketing", "gepersonaliseerd"): "zeer",
    ("beleving", "anoniem"): "weinig",
    ("beleving", "gepersonaliseerd"): "zeer",
}


@pytest.mark.parametrize("focus,anon", MATRIX)
def test_usefulness_matrix(focus, anon):
    assert rules.usefulness(focus, anon) == MATRIX[(focus, anon)]
    assert rules.usefulness_text(focus, anon) == {"zeer": "Zeer bruikbaar", "weinig": "Weinig of niet bruikbaar"}[MATRIX[(focus, anon)]]


def test_bedrijfsvoering_is_not_in_the_matrix_and_says_so():
    assert rules.usefulness("bedrijfsvoering", "anoniem") is None
    assert "Bedrijfsvoering" in rules.usefulness_text("bedrijfsvoering", "anoniem")
    assert rules.usefulness("", "anoniem") is None


def test_access_follows_from_the_origin():
    assert rules.access_for("intern") == "Volledige toegang"
    assert rules.access_for("extern") == "Beperkte toegang"
    assert "samenwerkingsafspraken" in rules.access_for("partner")


@pytest.mark.parametrize(
    "updated,today,months,current",
    [
        (dt.date(2024, 1, 15), dt.date(2025, 1, 15), 12, True),
        (dt.date(2024, 1, 14), dt.date(2025, 1, 15), 12, False),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12, True),
        (dt.date(2024, 8, 31), dt.date(2025, 2, 28), 6, True),
        (dt.date(2024, 8, 27), dt.date(2025, 2, 28), 6, False),
    ],
)
def test_actualiteit_by_months(updated, today, months, current):
    assert rules.is_current({"bijgewerkt": updated}, today, months) is current


def test_actualiteit_unknown_without_date():
    assert rules.is_current({}, dt.date(2025, 1, 1)) is None


def test_personalised_source_needs_a_register_entry():
    assert rules.needs_register_entry({"anonimiteit": "gepersonaliseerd"}, set())
    assert not rules.needs_register_entry({"anonimiteit": "gepersonaliseerd", "verwerking": "t"}, {"t"})
    assert not rules.needs_register_entry({"anonimiteit": "anoniem"}, set())


# ---- the 72-hour clock


def test_deadline_is_72_elapsed_hours_across_the_spring_dst_change():
    found = dt.datetime(2024, 3, 29, 12, 0, tzinfo=AMS)  # clocks go forward on 31 March
    deadline = rules.breach_deadline(found)
    # (subtracting two datetimes with the same ZoneInfo gives wall-clock time: compare in UTC)
    assert (deadline.astimezone(dt.timezone.utc) - found.astimezone(dt.timezone.utc)) == dt.timedelta(hours=72)
    assert deadline.hour == 13  # wall clock moved an hour


def test_deadline_across_the_autumn_dst_change():
    found = dt.datetime(2024, 10, 25, 12, 0, tzinfo=AMS)
    deadline = rules.breach_deadline(found)
    assert deadline.astimezone(dt.timezone.utc) - found.astimezone(dt.timezone.utc) == dt.timedelta(hours=72)
    assert deadline.hour == 11


def test_deadline_is_the_same_instant_in_any_time_zone():
    a = dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    b = a.astimezone(ZoneInfo("America/New_York"))
    assert rules.breach_deadline(a) == rules.breach_deadline(b)


def test_deadline_needs_a_time_zone():
    with pytest.raises(ValueError):
        rules.breach_deadline(dt.datetime(2024, 5, 2, 9, 30))


def test_breach_clock_states():
    found = dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    now = found + dt.timedelta(hours=70)
    clock = rules.breach_clock({"ontdekt": found}, now)
    assert clock.state == "open" and clock.remaining == dt.timedelta(hours=2)
    assert clock.label == "nog 2 uur om te melden"
    late = rules.breach_clock({"ontdekt": found}, found + dt.timedelta(hours=80))
    assert late.state == "verlopen" and "8 uur geleden" in late.label
    assert rules.breach_clock({"ontdekt": found, "gemeld_ap": "ja"}, now).state == "gemeld"
    assert rules.breach_clock({"ontdekt": found, "gemeld_ap": "nee", "reden_niet_melden": "geen risico"}, now).state == "niet_melden"
    assert rules.breach_clock({"ontdekt": found, "status": "afgehandeld"}, now).state == "afgehandeld"
    assert rules.breach_clock({}, now) is None


def test_review_state():
    today = dt.date(2025, 6, 1)
    assert rules.review_state({"volgende_review": dt.date(2025, 5, 31)}, today) == "verlopen"
    assert rules.review_state({"volgende_review": dt.date(2025, 6, 20)}, today, 30) == "binnenkort"
    assert rules.review_state({"volgende_review": dt.date(2025, 9, 1)}, today, 30) == "ok"
    assert rules.review_state({}, today) is None


# ---- progress


@pytest.mark.parametrize(
    "baseline,target,direction,value,expected",
    [
        (100, 110, "verhogen", 100, 0.0),
        (100, 110, "verhogen", 105, 0.5),
        (100, 110, "verhogen", 110, 1.0),
        (100, 110, "verhogen", 120, 2.0),
        (100, 110, "verhogen", 90, -1.0),
        (50, 40, "verlagen", 45, 0.5),
        (50, 40, "verlagen", 40, 1.0),
        (50, 40, "verlagen", 55, -0.5),
        (0, 80, "boven_houden", 80, 1.0),
        (0, 80, "boven_houden", 79.9, 0.0),
        (0, 5, "onder_houden", 5, 1.0),
        (0, 5, "onder_houden", 6, 0.0),
        (100, 100, "verhogen", 100, 1.0),
        (None, 100, "verhogen", 50, None),
        (None, 80, "boven_houden", 90, 1.0),
        (1, 2, "", 2, None),
    ],
)
def test_progress_every_direction(baseline, target, direction, value, expected):
    assert rules.progress(baseline, target, direction, value) == expected


def test_deadline_state_of_an_action():
    action = {"nulmeting": 100, "streefwaarde": 110, "richting": "verhogen", "deadline": dt.date(2024, 12, 1), "evaluaties": []}
    assert rules.deadline_state(action, dt.date(2024, 12, 2)) == "verlopen"
    assert rules.deadline_state(action, dt.date(2024, 11, 20)) == "risico"
    assert rules.deadline_state(action, dt.date(2024, 6, 1)) == "niet_gemeten"  # never 'op koers' unmeasured
    action["evaluaties"] = [{"datum": dt.date(2024, 9, 1), "waarde": 102}]
    assert rules.deadline_state(action, dt.date(2024, 9, 2), start=dt.date(2024, 1, 1)) == "risico"
    action["evaluaties"].append({"datum": dt.date(2024, 10, 1), "waarde": 111})
    assert rules.deadline_state(action, dt.date(2025, 1, 1)) == "gehaald"
    assert rules.deadline_state({"evaluaties": []}, dt.date(2025, 1, 1)) is None


def test_notices_for_check():
    now = dt.datetime(2024, 5, 3, 9, 30, tzinfo=dt.timezone.utc)
    data = {
        "datalekregister": [{"id": "L1", "ontdekt": dt.datetime(2024, 5, 2, 9, 30, tzinfo=dt.timezone.utc)}],
        "verwerkingsregister": [{"id": "t", "naam": "Tickets", "volgende_review": dt.date(2024, 1, 1)}],
        "databronnen": [{"id": "crm", "naam": "CRM", "anonimiteit": "gepersonaliseerd", "bijgewerkt": dt.date(2020, 1, 1)}],
    }
    texts = [n.format("w.toml") for n in rules.workbook_notices(data, now)]
    assert any("datalek 'L1': nog 48 uur om te melden" in t for t in texts)
    assert any("review van 'Tickets' is verlopen" in t for t in texts)
    assert any("geen verwerking in het verwerkingsregister" in t for t in texts)
    assert any("niet actueel" in t for t in texts)
    # a measurement dated after today (typed into Excel as 2027 for 2024, say) is pointed out
    data["cyclus"] = [{"acties": [{"titel": "Vrienden", "evaluaties": [{"datum": dt.date(2024, 5, 3), "waarde": 1}, {"datum": dt.date(2025, 1, 15), "waarde": 2}]}]}]
    future = [n for n in rules.workbook_notices(data, now) if "na vandaag" in n.message]
    assert [n.format("w.toml") for n in future] == [
        "w.toml: waarschuwing: cyclus[1].acties[1].evaluaties[2].datum: actie 'Vrienden': meting van 15-01-2025 ligt na vandaag; een typefout in het jaar?"]


def test_help_for_a_field_comes_from_the_guide():
    from tui.model.help import field_help

    title, md = field_help("cyclus[].vraagstuk", "focus")
    assert "publieksstromen sturen" in md
    assert "Formuleer de probleem- of vraagstelling." in md
    title, md = field_help("cyclus[].vraagstuk", "kernvraag")
    assert title.startswith("Kortom")
    title, md = field_help("databronnen[]", "herkomst")
    assert "Beperkte toegang" in md and "Zeer bruikbaar" in md and "Bedrijfsvoering" in md
    title, md = field_help("cyclus[].data.ervaring", "strategie")
    assert "stel 1-3 prioriteiten" in md
    title, md = field_help("cyclus[].acties[]", "doel")
    assert "verhogen met 10% vóór december 2023" in md
    assert "Mariniersmuseum" in md


def test_register_examples_are_valid_register_records():
    from tui.model.guide import register_example, register_examples
    from tui.model.validate import validate

    keys = [ex["kenmerk"] for ex in register_examples()]
    assert {"ticketverkoop", "nieuwsbrief", "website-analytics", "segmentatie-cdm"} <= set(keys)
    data = {"schema": 1, "verwerkingsregister": [register_example(k) for k in keys]}
    assert [p for p in validate(data) if p.severity == "fout"] == []
    cdm = register_example("segmentatie-cdm")
    assert cdm["persoonsgegevens"] == ["postcode", "huisnummer"]
    assert all(d.get("grondslag") for ex in data["verwerkingsregister"] for d in ex["doelen"])


def test_breach_clock_never_rounds_time_left_upwards():
    found = dt.datetime(2024, 6, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    clock = rules.breach_clock({"ontdekt": found}, dt.datetime(2024, 6, 15, 12, 0, 59, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert clock.label == "nog 45 uur 29 min om te melden"


def test_one_status_never_on_course_unmeasured_and_closed_actions_say_so():
    base = {"nulmeting": 100, "streefwaarde": 110, "richting": "verhogen", "deadline": dt.date(2024, 12, 1)}
    today = dt.date(2024, 6, 1)
    assert rules.action_status(base, today, dt.date(2024, 1, 1)).text == "· nog niet gemeten"
    assert rules.action_status(base, dt.date(2024, 11, 25), dt.date(2024, 1, 1)).key == "risico"
    # the matinee: past its deadline at 93%, but the team completed it
    done = base | {"status": "afgerond", "evaluaties": [{"datum": dt.date(2024, 11, 1), "waarde": 109.3}]}
    assert rules.action_status(done, dt.date(2025, 2, 1)).text == "✓ afgerond"
    assert rules.action_status(done | {"status": "gestopt"}, dt.date(2025, 2, 1)).text == "– gestopt"
    assert rules.action_status(done | {"status": "bezig"}, dt.date(2025, 2, 1)).text == "✗ verlopen"
    assert "niet gehaald" in rules.action_status(done | {"status": "bezig"}, dt.date(2025, 2, 1)).uitleg
    # past the deadline and never measured: it is late, but nobody knows whether the goal was missed
    unmeasured = rules.action_status(base, dt.date(2025, 2, 1))
    assert unmeasured.key == "verlopen" and "niet gehaald" not in unmeasured.uitleg and "zonder meting" in unmeasured.uitleg
    assert rules.action_status({"titel": "zonder deadline"}, today).key == "geen_deadline"
    assert rules.action_status(base | {"streefwaarde": 90}, today).key == "tegenstrijdig"


def test_a_follow_up_is_paced_from_the_measurement_that_prompted_it_not_the_rounds_start():
    start = dt.date(2024, 1, 1)
    # begun on 1 October (follow-up of that measurement), measured at 30% two weeks later
    action = {"nulmeting": 100, "streefwaarde": 110, "richting": "verhogen", "deadline": dt.date(2024, 12, 31),
              "aanleiding_meting": dt.date(2024, 10, 1), "evaluaties": [{"datum": dt.date(2024, 10, 15), "waarde": 103}]}
    assert rules.action_status(action, dt.date(2024, 10, 16), start).key == "op_koers"
    del action["aanleiding_meting"]
    assert rules.action_status(action, dt.date(2024, 10, 16), start).key == "risico"


def test_an_action_added_to_an_older_round_is_judged_from_its_own_start():
    """A brand-new action in a round that began long ago was 'risico' at once: its progress was
    compared with the time since the round began ('verwacht 94%')."""
    import datetime as dt

    from tui.model.rules import action_status

    action = {"nulmeting": 100, "streefwaarde": 200, "richting": "verhogen", "deadline": dt.date(2027, 6, 1),
              "evaluaties": [{"datum": dt.date(2026, 12, 20), "waarde": 115}]}
    round_start, today = dt.date(2022, 1, 1), dt.date(2026, 12, 21)
    assert action_status(action, today, round_start).key == "risico"  # no start of its own: from the round
    assert action_status(action | {"begonnen": dt.date(2026, 12, 1)}, today, round_start).key == "op_koers"


def test_the_session_gives_a_new_action_its_start_date():
    import datetime as dt
    import tempfile
    from pathlib import Path

    from tui.session import Session
    from tui.templates import create_workbook

    path = create_workbook(Path(tempfile.mkdtemp()) / "w.toml", "mariniersmuseum")
    session = Session.open(path, clock=lambda: dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.timezone.utc))
    i = session.add_record("acties", {"titel": "Nieuwe actie"})
    assert session.records("acties")[i]["begonnen"] == dt.date(2026, 12, 7)
