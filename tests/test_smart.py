"""The SMART check on Dutch goals as teams write them: per letter, what is there and what is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.model import rules
from tui.model.guide import guide
from tui.model.smart import smart_check, smart_summary

TODAY = dt.date(2026, 11, 25)
WRITTEN = dt.date(2023, 1, 15)

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
    ("Het fysieke bezoek met 163% laten stijgen voor eind 2021", "ontbreekt", "ok", "verstreken"),
    ("Een maandelijkse zondagmiddagmatinee voor de lokale vrijetijdsgenieters met minimaal 120 bezoekers per keer", "ok", "ok", "ontbreekt"),
    ("Studenten: 300 tickets via de studentenkorting in Q2", "ok", "ok", "ok"),
    ("Senioren vaker naar de middagvoorstelling", "ok", "vaag", "ontbreekt"),
    ("Publieksstromen sturen", "ontbreekt", "ontbreekt", "ontbreekt"),
    ("Het percentage nieuwe bezoekers naar 30% uiterlijk juni 2025", "ok", "ok", "ok"),
    ("Inwoners uit de regio Eindhoven: bereik verdubbelen in 2026", "ok", "ok", "ok"),
    ("We willen een groter en diverser publiek", "ontbreekt", "vaag", "ontbreekt"),
    ("Schoolklassen uit de provincie Utrecht: 40 bezoeken dit schooljaar", "ok", "ok", "ok"),
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


# Written the way marketing, education and programming staff at theatres and museums phrase goals
MORE_GOALS = [
    ("Voor de voorstelling met 3 acteurs beter publiek trekken", "ontbreekt", "vaag", "ontbreekt"),
    ("Meer jongeren van 16 tot 25 jaar naar onze concerten", "ok", "vaag", "ontbreekt"),
    ("250 mbo-studenten uit Eindhoven bezoeken de tentoonstelling voor de zomervakantie van 2027", "ok", "ok", "ok"),
    ("In de herfstvakantie van 2027 400 gezinnen in het museum", "ok", "ok", "ok"),
    ("Buurtbewoners uit Veldhoven-Zuid betrekken bij het nieuwe programma", "ok", "ontbreekt", "ontbreekt"),
    ("Het museum toegankelijker maken voor mensen met een beperking", "ok", "vaag", "ontbreekt"),
    ("Kerstvakantie 2026: 1.200 kaartjes verkopen aan families", "ok", "ok", "ok"),
    ("In de meivakantie van 2027 alle kinderworkshops vol", "ontbreekt", "ontbreekt", "ok"),
    ("Voorjaarsvakantie 2028: 20% meer bezoekers uit de regio", "ok", "ok", "ok"),
    ("De nieuwsbrief beter laten lezen", "ontbreekt", "vaag", "ontbreekt"),
    ("Open rate van de nieuwsbrief omhoog naar 35% eind dit jaar", "ontbreekt", "ok", "ok"),
    ("Vóór 1 maart 2027 staan 5.000 nieuwe abonnees in het CRM", "ok", "ok", "ok"),
    ("Met de educatieafdeling 30 scholen uit de gemeente Tilburg bereiken", "ok", "ok", "ontbreekt"),
    ("Met 2 medewerkers de socials bijhouden", "ontbreekt", "ontbreekt", "ontbreekt"),
    ("Een voorstelling van 90 minuten voor ouderen boven de 65", "ok", "ontbreekt", "ontbreekt"),
    ("Tussen 18 en 30 jaar: 15% van het publiek in seizoen 2026-2027", "ok", "ok", "ok"),
    ("De gemiddelde waardering naar een 8 of hoger voor het einde van het jaar", "ontbreekt", "ok", "ok"),
    ("Het aantal terugkerende bezoekers verdubbelen", "ok", "ok", "ontbreekt"),
    ("Dit najaar meer bekendheid in de stad", "ontbreekt", "vaag", "ok"),
    ("Vrienden van het museum: minstens 300 verlengingen per 1 januari 2027", "ok", "ok", "ok"),
    ("Gebruik van de museumapp stimuleren onder bezoekers van 65 jaar en ouder", "ok", "vaag", "ontbreekt"),
    ("Binnen een half jaar 10 procent minder no-shows bij gratis voorstellingen", "ontbreekt", "ok", "ok"),
    ("Verkoop via de website omhoog", "ontbreekt", "vaag", "ontbreekt"),
    ("In 2027 komt 1 op de 5 bezoekers van buiten de provincie", "ok", "ok", "ok"),
    ("De zaalbezetting van de kleine zaal van 60% naar 75% in het seizoen 2026/2027", "ontbreekt", "ok", "ok"),
    ("Het aantal studenten met een CJP-pas laten groeien", "ok", "vaag", "ontbreekt"),
    ("Een programma maken voor nieuwkomers in Eindhoven", "ok", "ontbreekt", "ontbreekt"),
    ("Voor de zomervakantie een nieuwe website live", "ontbreekt", "ontbreekt", "vaag"),
    ("Het aantal bezoekers uit Rotterdam-Zuid met 500 verhogen in 2027", "ok", "ok", "ok"),
    ("Met 4 partners een festivalpas ontwikkelen voor jongeren", "ok", "ontbreekt", "ontbreekt"),
    ("Ticketverkoop online naar 80% van alle kaarten in Q3 2027", "ontbreekt", "ok", "ok"),
    ("Voor eind 2027 weten we van 70% van onze bezoekers de postcode", "ontbreekt", "ok", "ok"),
    ("Zo snel mogelijk een klantenpanel opzetten", "ontbreekt", "ontbreekt", "vaag"),
    ("Op korte termijn meer leden werven", "ok", "vaag", "vaag"),
    ("Museumkaarthouders vaker laten terugkomen: 2 bezoeken per jaar", "ok", "ok", "ontbreekt"),
    ("De wachttijd bij de kassa onder de 5 minuten houden tijdens de kerstvakantie van 2026", "ontbreekt", "ok", "ok"),
    ("Een podcastserie van 6 afleveringen over de collectie", "ontbreekt", "ontbreekt", "ontbreekt"),
    ("Zichtbaarder worden bij Amsterdammers", "ok", "vaag", "ontbreekt"),
    ("Voor 20-plussers een afterwork-programma met 2 dj's", "ok", "ontbreekt", "ontbreekt"),
    ("Het aantal rolstoelplekken dat verkocht wordt met 25 laten stijgen vóór de zomer van 2027", "ontbreekt", "ok", "ok"),
    ("Senioren uit de wijk Woensel: 3 keer per seizoen een matinee, 80 bezoekers per keer", "ok", "ok", "ontbreekt"),
    ("Met 3 acteurs op tournee en zo de bezoekersaantallen verhogen", "ontbreekt", "vaag", "ontbreekt"),
    ("De kaartverkoop aan 65-plussers met 15% laten stijgen dit seizoen", "ok", "ok", "ok"),
    ("Leerlingen van groep 7 en 8 in Helmond allemaal een keer in het theater in schooljaar 2026-2027", "ok", "ontbreekt", "ok"),
    # a number that names a room, a phase or a show is no target
    ("In zaal 2 meer bezoekers tussen 20 en 30 jaar", "ok", "vaag", "ontbreekt"),
    ("Fase 3 van de verbouwing: 200 bezoekers per dag in de nieuwe vleugel in 2027", "ontbreekt", "ok", "ok"),
    ("Voor voorstelling 4 meer studenten werven", "ok", "vaag", "ontbreekt"),
    # holidays without a year are vague, with one they are a term
    ("Meer kaartverkoop tegen de kerst", "ontbreekt", "vaag", "vaag"),
    ("Met akkoord van het MT 200 extra kaarten voor gezinnen vóór de kerst van 2027", "ok", "ok", "ok"),
    ("Rond pasen 2027 150 families in de kindertentoonstelling", "ok", "ok", "ok"),
    ("Het aantal no-shows terugbrengen van 20% naar 10% in 2027", "ontbreekt", "ok", "ok"),
    # a holiday with its year as the first words, half years, counts in compound words
    ("Kerst 2027: 200 extra kaartjes verkopen aan gezinnen uit Breda", "ok", "ok", "ok"),
    ("Met kerst 2027 200 extra kaartjes verkopen", "ontbreekt", "ok", "ok"),
    ("200 gezinnen extra in de 2e helft van 2027", "ok", "ok", "ok"),
    ("In de eerste helft van 2027 30 scholen op bezoek", "ok", "ok", "ok"),
    ("150 nieuwe nieuwsbriefabonnees onder studenten uit Tilburg vóór juni 2027", "ok", "ok", "ok"),
    ("40 docenten uit Utrecht volgen de lerarendag vóór 2028", "ok", "ok", "ok"),
    ("Meer vrijwilligers in het tweede halfjaar", "ok", "vaag", "vaag"),
    # a day or month without its year does not say which one
    ("Per 1 januari 500 vrienden van het museum", "ok", "ok", "vaag"),
    ("Per 1 januari 2028 500 vrienden van het museum", "ok", "ok", "ok"),
    ("Vóór maart 300 gezinnen met een museumkaart", "ok", "ok", "vaag"),
]

# (goal, letter, what the check must quote): the words it names are the right ones
QUOTED = [
    ("Het bezoek van 65-plussers uit de regio Den Haag verhogen met 10% in 2027", "S", "‘65-plussers uit de regio Den Haag’"),
    ("Het aantal bezoekers uit Utrecht verhogen met 10% in 2027", "S", "‘bezoekers uit Utrecht’"),
    ("Het aantal no-shows terugbrengen van 20% naar 10% in 2027", "M", "‘van 20% naar 10%’"),
    ("Het bereik van 2.000 naar 2.500 volgers in 2027", "M", "‘van 2.000 naar 2.500’"),
    ("Met akkoord van het MT 200 extra kaarten voor gezinnen in 2027", "A", "‘Met akkoord van het MT’"),
    ("In overleg met de directie 10% meer scholieren in Q3 2027", "A", "‘In overleg met de directie’"),
    ("Na goedkeuring door het bestuur 300 leden in 2027", "A", "‘Na goedkeuring door het bestuur’"),
]

# (goal, today, passed): a deadline in the goal's own words that lies behind us is reported as passed
PAST = [
    ("Het aantal bezoekers met 10% verhogen vóór december 2023", dt.date(2026, 3, 1), True),
    ("Het aantal bezoekers met 10% verhogen vóór december 2023", dt.date(2023, 6, 1), False),
    ("Jongeren: 500 kaarten in 2025", dt.date(2026, 1, 5), True),
    ("Jongeren: 500 kaarten in 2025", dt.date(2025, 11, 30), False),
    ("Gezinnen: 150 kaarten vóór 1-12-2024", dt.date(2024, 12, 2), True),
    ("In de zomervakantie van 2026 300 gezinnen", dt.date(2026, 10, 1), True),
    ("In de zomervakantie van 2026 300 gezinnen", dt.date(2026, 7, 10), False),
    ("Studenten: 300 tickets in Q2 2026", dt.date(2026, 7, 2), True),
    ("Studenten: 300 tickets binnen twaalf maanden", dt.date(2040, 1, 1), False),
    # a full date after "voor" is that date, not the year before it
    ("Aantal jonge bezoekers +10% voor 2026-12-01", dt.date(2026, 11, 25), False),
    ("Aantal jonge bezoekers +10% voor 2026-12-01", dt.date(2026, 12, 1), True),
    ("Aantal jonge bezoekers +10% voor 01-12-2026", dt.date(2026, 11, 25), False),
    ("Gezinnen: 150 kaarten in 2026-2027", dt.date(2026, 11, 25), False),
    ("200 gezinnen in de eerste helft van 2027", dt.date(2027, 7, 1), True),
    ("200 gezinnen in de 2e helft van 2027", dt.date(2027, 7, 1), False),
]


@pytest.mark.parametrize("goal,s,m,t", GOALS + MORE_GOALS, ids=[g[0][:50] for g in GOALS + MORE_GOALS])
def test_goal_as_written(goal, s, m, t):
    today = WRITTEN if (goal, s, m, t) in GOALS else TODAY  # the first goals were written in 2023
    letters = {x.letter: x for x in smart_check({"doel": goal}, today)}
    assert (letters["S"].state, letters["M"].state, letters["T"].state) == (s, m, t)
    # every letter that is not ok comes with a concrete suggestion
    for x in letters.values():
        assert x.ok == (x.suggestion == "")


@pytest.mark.parametrize("goal,letter,quoted", QUOTED, ids=[q[0][:40] for q in QUOTED])
def test_the_check_quotes_the_words_that_count(goal, letter, quoted):
    found = {x.letter: x for x in smart_check({"doel": goal}, TODAY)}[letter]
    assert found.ok and quoted in found.why, found.why


def test_past_holidays_are_passed_and_a_room_number_is_no_target():
    letters = {x.letter: x for x in smart_check({"doel": "Meer bezoekers in zaal 2 vóór de kerst van 2025"}, TODAY)}
    assert letters["T"].state == "verstreken" and letters["M"].state == "vaag"


def test_at_least_sixty_goals():
    assert len(GOALS) + len(MORE_GOALS) >= 60


@pytest.mark.parametrize("goal,today,passed", PAST, ids=[f"{g[0][:30]}-{g[1]}" for g in PAST])
def test_a_deadline_in_the_past_is_reported_as_passed(goal, today, passed):
    t = {x.letter: x for x in smart_check({"doel": goal}, today)}["T"]
    if passed:
        assert t.state == "verstreken" and "voorbij" in t.why and t.suggestion
    else:
        assert t.state == "ok"


def test_a_deadline_field_in_the_past_is_passed_unless_the_action_is_closed():
    action = {"doel": "Jongeren: 500 kaarten", "deadline": dt.date(2025, 6, 1)}
    assert {x.letter: x for x in smart_check(action, dt.date(2025, 5, 1))}["T"].ok
    late = {x.letter: x for x in smart_check(action, dt.date(2025, 6, 2))}["T"]
    assert late.state == "verstreken" and "01-06-2025 is verstreken" in late.why
    assert {x.letter: x for x in smart_check(action | {"status": "afgerond"}, dt.date(2025, 6, 2))}["T"].ok


@pytest.mark.parametrize("base,target,direction", [(40, 60, "verlagen"), (10, -5, "verhogen"), (2000, 1500, "verhogen")])
def test_a_contradicting_goal_is_not_shown_as_met(base, target, direction):
    action = {"doel": "Jongeren: 500 kaarten in 2027", "indicator": "kaarten", "nulmeting": base, "streefwaarde": target, "richting": direction}
    m = {x.letter: x for x in smart_check(action, TODAY)}["M"]
    assert m.state == "tegenstrijdig" and not m.ok and direction in m.why
    assert rules.progress(base, target, direction, (base + target) / 2) is None
    assert "✗ M" in smart_summary(action, TODAY)


def test_the_guides_own_examples():
    stap = guide()["stappen"]["actie"]
    smart = {x.letter: x for x in smart_check({"doel": stap["voorbeeld_smart"], "acceptabel": "directie", "realistisch": "vorig seizoen +8%"}, dt.date(2023, 1, 15))}
    assert all(x.ok for x in smart.values())
    broad = {x.letter: x for x in smart_check({"doel": stap["voorbeeld_breed"]}, dt.date(2023, 1, 15))}
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
    assert all(x.ok for x in smart_check(action, WRITTEN))
    missing_agreement = {x.letter: x for x in smart_check(action | {"acceptabel": ""}, WRITTEN)}
    assert missing_agreement["A"].state == "ontbreekt" and "akkoord" in missing_agreement["A"].suggestion


def test_summary_marks_each_letter_with_a_symbol_and_a_word():
    text = smart_summary({"doel": "bezoekersaantallen verhogen"})
    lines = text.splitlines()
    assert [l[:3] for l in lines] == ["✗ S", "~ M", "✗ A", "✗ R", "✗ T"]
    assert "‘verhogen’ zegt niet hoeveel" in lines[1]
