"""The SMART check on Dutch goals as teams write them: per letter, what is there and what is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.model.guide import guide
from tui.model.smart import smart_check, smart_summary

# (goal, S, M, T) from the text alone; "ok", "ontbreekt" or "vaag"
GOALS = [
    ("Het aantal bezoekers uit de gemeente Utrecht van 25 jaar oud, voor voorstelling x, verhogen met 10% vóór december 2023.", "ok", "ok", "ok"),
    ("bezoekersaantallen verhogen", "ontbreekt", "vaag", "ontbreekt"),
    ("Meer jongeren in de zaal", "ok", "vaag", "ontbreekt"),
    ("Zoveel mogelijk nieuwe bezoekers bereiken", "ok", "vaag", "ontbreekt"),
    ("De klanttevredenheid verbeteren", "ontbreekt", "vaag", "ontbreekt"),
    ("Gezinnen met kinderen uit de wijk Overvecht: 150 kaarten voor de familievoorstelling vóór 1-12-2024", "ok", "ok", "ok"),
    ("Het aantal abonnees op de nieuwsbrief van 2.000 naar 2.500 in 2025", "ok", "ok", "ok"),
    ("De bezoekfrequentie van bestaande bezoekers verhogen met 15% binnen twaalf maanden", "ok", "ok", "ok"),
    ("Beter zichtbaar worden op social media", "ontbreekt", "vaag", "ontbreekt"),
    ("Het online bezoek stijgt met 400% dit seizoen", "ontbreekt", "ok", "ok"),
    ("Het fysieke bezoek met 163% laten stijgen voor eind 2021", "ontbreekt", "ok", "ok"),
    ("Een maandelijkse zondagmiddagmatinee voor de lokale vrijetijdsgenieters met minimaal 120 bezoekers per keer", "ok", "ok", "ontbreekt"),
    ("Studenten: 300 tickets via de studentenkorting in Q2", "ok", "ok", "ok"),
    ("Senioren vaker naar de middagvoorstelling", "ok", "vaag", "ontbreekt"),
    ("Publieksstromen sturen", "ontbreekt", "ontbreekt", "ontbreekt"),
    ("Het percentage nieuwe bezoekers naar 30% uiterlijk juni 2025", "ok", "ok", "ok"),
    ("Inwoners uit de regio Eindhoven: bereik verdubbelen in 2026", "ok", "ok", "ok"),
    ("We willen een groter en diverser publiek", "ontbreekt", "vaag", "ontbreekt"),
    ("Schoolklassen uit de provincie Utrecht: 40 bezoeken dit schooljaar", "ok", "ok", "ontbreekt"),
    ("Het aantal no-shows onder de 5% houden", "ontbreekt", "ok", "ontbreekt"),
    ("De conversie op de website verhogen", "ontbreekt", "vaag", "ontbreekt"),
    ("De conversie op de website verhogen met 2 procent vóór maart 2025", "ontbreekt", "ok", "ok"),
    ("Jongeren tussen 18 en 25 jaar: 500 kaarten voor het festival in 2024", "ok", "ok", "ok"),
    ("Bestaand publiek en nieuw publiek vergelijken op waardering, binnen 3 maanden", "ok", "ontbreekt", "ok"),
    ("Engagement sturen", "ontbreekt", "ontbreekt", "ontbreekt"),
    ("Donateurs behouden: minstens 90 van de 100 verlengen per januari 2025", "ok", "ok", "ok"),
    ("Cashflow verbeteren", "ontbreekt", "vaag", "ontbreekt"),
    ("De omzet uit de horeca met € 20.000 verhogen in 2025", "ontbreekt", "ok", "ok"),
    ("Minder lege stoelen", "ontbreekt", "vaag", "ontbreekt"),
    ("Toeristen uit de stad Amsterdam bereiken via partners", "ok", "ontbreekt", "ontbreekt"),
    ("Het aantal volgers groter maken in het volgend seizoen", "ontbreekt", "vaag", "ok"),
    ("Kinderen van 6 tot 12 jaar oud, 250 deelnemers aan de workshops voor 2025", "ok", "ok", "ok"),
]


@pytest.mark.parametrize("goal,s,m,t", GOALS, ids=[g[0][:40] for g in GOALS])
def test_goal_as_written(goal, s, m, t):
    letters = {x.letter: x for x in smart_check({"doel": goal})}
    assert (letters["S"].state, letters["M"].state, letters["T"].state) == (s, m, t)
    # every letter that is not ok comes with a concrete suggestion
    for x in letters.values():
        assert x.ok == (x.suggestion == "")


def test_at_least_thirty_goals():
    assert len(GOALS) >= 30


def test_the_guides_own_examples():
    stap = guide()["stappen"]["actie"]
    smart = {x.letter: x for x in smart_check({"doel": stap["voorbeeld_smart"], "acceptabel": "directie", "realistisch": "vorig seizoen +8%"})}
    assert all(x.ok for x in smart.values())
    broad = {x.letter: x for x in smart_check({"doel": stap["voorbeeld_breed"]})}
    assert not any(x.ok for x in broad.values())
    assert "gemeente Utrecht van 25 jaar oud" in broad["S"].suggestion


def test_structured_fields_come_first():
    action = {
        "doel": "meer publiek",
        "specifiek": "Familievoorstelling",
        "doelgroep": "gezinnen met kinderen",
        "indicator": "kaarten",
        "nulmeting": 100,
        "streefwaarde": 150,
        "richting": "verhogen",
        "acceptabel": "directie",
        "realistisch": "vergelijkbare voorstelling verkocht 140",
        "deadline": dt.date(2025, 1, 1),
    }
    assert all(x.ok for x in smart_check(action))
    missing_agreement = {x.letter: x for x in smart_check(action | {"acceptabel": ""})}
    assert missing_agreement["A"].state == "ontbreekt" and "akkoord" in missing_agreement["A"].suggestion


def test_summary_marks_each_letter_with_a_symbol_and_a_word():
    text = smart_summary({"doel": "bezoekersaantallen verhogen"})
    lines = text.splitlines()
    assert [l[:3] for l in lines] == ["✗ S", "~ M", "✗ A", "✗ R", "✗ T"]
    assert "‘verhogen’ zegt niet hoeveel" in lines[1]
