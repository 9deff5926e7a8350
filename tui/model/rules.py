"""The guide's rules as plain functions over workbook data (dicts as read from the TOML)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tui.model.guide import guide
from tui.model.problems import HINT, Problem
from tui.model.schema import format_path
from tui.model.values import local_time

UTC = dt.timezone.utc
MELDTERMIJN = dt.timedelta(hours=72)


# ------------------------------------------------------------------ step 2: ervaringsniveau


@dataclass(frozen=True)
class Level:
    key: str  # startend | lerend | uitvoerend | gelijk | onbekend
    ja: int
    nee: int
    open: int
    naam: str
    advies: str


def experience_level(answers: dict | None) -> Level:
    """Majority of the seven questions; 'uitvoerend' when lerend and the follow-up is 'ja'.

    A decision needs a majority of all seven (four answers); an equal count is reported as a tie.
    """
    answers = answers or {}
    g = guide()["ervaring"]
    values = [answers.get(k, "") for k in g["vragen"]]
    ja = values.count("ja")
    nee = values.count("nee")
    open_ = len(values) - ja - nee
    half = len(values) // 2 + 1
    if ja >= half:
        key = "uitvoerend" if answers.get(g["vervolgvraag"]) == "ja" else "lerend"
    elif nee >= half:
        key = "startend"
    elif ja == nee and ja > 0:
        key = "gelijk"
    else:
        key = "onbekend"
    info = g["niveaus"][key]
    return Level(key, ja, nee, open_, info["naam"], info["advies"])


def hidden_answers(cycle: dict) -> list[str]:
    """Answers the form no longer shows (the follow-up question after the level dropped below
    lerend): kept in the file, not counted."""
    answers = ((cycle.get("data") or {}).get("ervaring")) or {}
    follow_up = guide()["ervaring"]["vervolgvraag"]
    if answers.get(follow_up) and experience_level(answers).key not in ("lerend", "uitvoerend"):
        return [follow_up]
    return []


# ------------------------------------------------------------------ step 2: bruikbaarheid


def usefulness(focus: str, anonimiteit: str) -> str | None:
    """'zeer' or 'weinig' from the guide's matrix; None when the matrix says nothing."""
    row = guide()["bruikbaarheid"]["matrix"].get(focus or "")
    if row is None or not anonimiteit:
        return None
    return row.get(anonimiteit)


def usefulness_text(focus: str, anonimiteit: str) -> str:
    b = guide()["bruikbaarheid"]
    if focus == "bedrijfsvoering":
        return b["niet_in_matrix"]
    verdict = usefulness(focus, anonimiteit)
    if verdict is None:
        return "Kies een focus (stap 1) en of de bron anoniem of gepersonaliseerd is."
    return b[verdict]


@dataclass(frozen=True)
class UsefulnessRow:
    """One source in the guide's appendix table: where it comes from, what kind of data, and per
    department whether it is useful ("zeer", "weinig" or "" when unknown)."""

    naam: str
    herkomst: str  # intern | extern | partner | ""
    toegang: str
    anonimiteit: str  # anoniem | gepersonaliseerd | ""
    per_afdeling: dict  # afdeling key -> "zeer" | "weinig" | ""


def usefulness_departments() -> dict[str, str]:
    """The departments of the appendix, in its order: key -> name as the guide writes it."""
    return dict(guide()["bruikbaarheid"]["afdelingen"])


def usefulness_table(data: dict, cycle_index: int) -> list[UsefulnessRow]:
    """The appendix table for the sources this round uses (all sources when none is chosen yet)."""
    cycles = data.get("cyclus", []) or []
    chosen = set(((cycles[cycle_index].get("data") or {}).get("bronnen") or []) if 0 <= cycle_index < len(cycles) else [])
    sources = [s for s in data.get("databronnen", []) or [] if not chosen or s.get("id") in chosen]
    rows = []
    for src in sources:
        anon = src.get("anonimiteit", "") or ""
        rows.append(UsefulnessRow(
            src.get("naam", "") or src.get("id", ""),
            src.get("herkomst", "") or "",
            access_for(src.get("herkomst", "") or ""),
            anon,
            {key: usefulness(key, anon) or "" for key in usefulness_departments()},
        ))
    return rows


def access_for(herkomst: str) -> str:
    return guide()["bruikbaarheid"]["herkomst"].get(herkomst, {}).get("toegang", "")


def months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + (day.month - 1) - months, 12)
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(day.day, last))


def is_current(source: dict, today: dt.date, months: int = 12) -> bool | None:
    """Actualiteit by date: None when the last update is unknown."""
    updated = source.get("bijgewerkt")
    if not isinstance(updated, dt.date):
        return None
    return updated >= months_before(today, months)


@dataclass(frozen=True)
class Actualiteit:
    """A source's actualiteit, the same in the table, its detail, `check` and the export.

    ``value`` is the team's answer, or when they have not answered, the proposal from
    "laatst bijgewerkt"; ``warning`` says when the answer and the date disagree.
    """

    value: str  # "ja" | "nee" | ""
    proposed: str  # from the date: "ja" | "nee" | "" (no date)
    answered: bool
    warning: str  # "" when answer and date agree

    @property
    def symbol(self) -> str:
        return "⚠" if self.warning else {"ja": "✓", "nee": "✗"}.get(self.value, "·")

    @property
    def text(self) -> str:
        if self.warning:
            return f"{self.value} ⚠ {self.warning}"
        if not self.answered and self.value:
            return f"{self.value} (voorstel uit de datum van bijwerken)"
        return self.value or "nog niet beantwoord"


def actualiteit(source: dict, today: dt.date, months: int = 12) -> Actualiteit:
    """Propose actualiteit from "laatst bijgewerkt" and compare it with the team's answer."""
    current = is_current(source, today, months)
    proposed = "" if current is None else ("ja" if current else "nee")
    answer = source.get("actualiteit") if source.get("actualiteit") in ("ja", "nee") else ""
    warning = ""
    if answer and proposed and answer != proposed:
        updated = f"{source['bijgewerkt']:%d-%m-%Y}"
        if answer == "ja":
            warning = f"maar laatst bijgewerkt {updated}, langer dan {months} maanden geleden"
        else:
            warning = f"maar laatst bijgewerkt {updated}, binnen {months} maanden: klopt ‘nee’?"
    return Actualiteit(answer or proposed, proposed, bool(answer), warning)


def needs_register_entry(source: dict, register_ids: set[str]) -> bool:
    """A personalised source needs a matching verwerkingsregister entry."""
    return source.get("anonimiteit") == "gepersonaliseerd" and source.get("verwerking", "") not in register_ids


# ------------------------------------------------------------------ datalekken: 72 uur


def breach_deadline(discovered: dt.datetime) -> dt.datetime:
    """72 elapsed hours after discovery (computed in UTC, so daylight saving cannot shift it), in
    the zone it was recorded in; shown in Dutch time with ``values.local_time``."""
    if discovered.tzinfo is None:
        raise ValueError("ontdekt heeft een tijdzone nodig")
    return (discovered.astimezone(UTC) + MELDTERMIJN).astimezone(discovered.tzinfo)


@dataclass(frozen=True)
class BreachClock:
    state: str  # gemeld | niet_melden | open | verlopen | afgehandeld
    deadline: dt.datetime
    remaining: dt.timedelta  # negative when past

    late_by: dt.timedelta | None = None  # a report made after the deadline: how late
    reason_given: bool = True  # for a late report: is the reason for the delay recorded?

    @property
    def label(self) -> str:
        if self.state == "te_laat_gemeld":
            hours = int(self.late_by.total_seconds() // 3600) if self.late_by else 0
            text = f"te laat gemeld: {hours} uur na de termijn van 72 uur"
            return text + ("" if self.reason_given else "; vul de reden van de vertraging in")
        if self.state == "gemeld":
            return "gemeld bij de AP"
        if self.state == "niet_melden":
            return "besloten niet te melden"
        if self.state == "afgehandeld":
            return "afgehandeld"
        minutes = int(abs(self.remaining.total_seconds()) // 60)  # never round time left upwards
        span = " ".join(part for part in (f"{minutes // 60} uur" if minutes >= 60 else "", f"{minutes % 60} min" if minutes % 60 or minutes < 60 else "") if part)
        if self.state == "verlopen":
            return f"72-uurstermijn {span} geleden verstreken"
        return f"nog {span} om te melden"


def breach_advice(breach: dict, now: dt.datetime) -> str:
    """What the breach form says about the 72 hours, in Dutch time; asks for the reason of a late report."""
    clock = breach_clock(breach, now)
    if clock is None:
        return "Vul in wanneer het lek is ontdekt (datum, tijd): daar begint de termijn van 72 uur."
    text = f"Meldtermijn: {local_time(clock.deadline)} (Nederlandse tijd) · {clock.label}"
    if clock.state == "te_laat_gemeld" and not clock.reason_given:
        text += "\nDe melding kwam na de 72 uur: leg bij ‘Reden van melding na meer dan 72 uur’ uit waarom (AVG art. 33 lid 1)."
    return text


def breach_clock(breach: dict, now: dt.datetime) -> BreachClock | None:
    discovered = breach.get("ontdekt")
    if not isinstance(discovered, dt.datetime) or discovered.tzinfo is None:
        return None
    deadline = breach_deadline(discovered)
    remaining = deadline - now.astimezone(UTC)
    reported = breach.get("gemeld_op")
    if breach.get("gemeld_ap") == "ja" and isinstance(reported, dt.datetime) and reported.tzinfo is not None and reported > deadline:
        return BreachClock("te_laat_gemeld", deadline, remaining, reported - deadline, bool(str(breach.get("reden_vertraging", "")).strip()))
    if breach.get("gemeld_ap") == "ja":
        state = "gemeld"
    elif breach.get("gemeld_ap") == "nee" and breach.get("reden_niet_melden"):
        state = "niet_melden"
    elif breach.get("status") == "afgehandeld":
        state = "afgehandeld"
    else:
        state = "verlopen" if remaining.total_seconds() < 0 else "open"
    return BreachClock(state, deadline, remaining)


# ------------------------------------------------------------------ verwerkingsregister: reviews


def register_party(record: dict, data: dict, key: str) -> str:
    """The controller (``verantwoordelijke``) or FG (``fg``) of a processing record: its own,
    or the organisation's when the record names none."""
    own = str(record.get(key, "") or "").strip()
    return own or str((data.get("organisatie") or {}).get(key, "") or "").strip()


def review_state(record: dict, today: dt.date, warn_days: int = 30) -> str | None:
    """'verlopen', 'binnenkort' or 'ok'; None when no next review date is set."""
    due = record.get("volgende_review")
    if not isinstance(due, dt.date):
        return None
    if due < today:
        return "verlopen"
    if (due - today).days <= warn_days:
        return "binnenkort"
    return "ok"


# ------------------------------------------------------------------ step 3: voortgang


def goal_contradiction(action: dict) -> str | None:
    """Why baseline, target and direction of an action's goal contradict each other; None when they agree.

    "verhogen" needs a target above the baseline, "verlagen" one below it.
    """
    from tui.model.values import format_value

    base, target, direction = action.get("nulmeting"), action.get("streefwaarde"), action.get("richting", "")
    if not isinstance(base, (int, float)) or not isinstance(target, (int, float)) or isinstance(base, bool) or isinstance(target, bool):
        return None
    b, t = format_value("getal", base), format_value("getal", target)
    if direction == "verhogen" and target < base:
        return f"streefwaarde {t} ligt onder de nulmeting {b}, maar de richting is ‘verhogen’"
    if direction == "verlagen" and target > base:
        return f"streefwaarde {t} ligt boven de nulmeting {b}, maar de richting is ‘verlagen’"
    return None


def progress(baseline, target, direction: str, value) -> float | None:
    """Progress towards the target: 0 at the baseline, 1 at the target.

    verhogen/verlagen: linear from baseline to target (may be below 0 or above 1).
    boven_houden/onder_houden: 1 when the value is on the right side of the target, else 0.
    """
    if value is None or target is None or not direction:
        return None
    if direction == "boven_houden":
        return 1.0 if value >= target else 0.0
    if direction == "onder_houden":
        return 1.0 if value <= target else 0.0
    if baseline is None:
        return None
    if direction == "verhogen":
        span = target - baseline
        if span < 0:
            return None  # a contradiction: nothing can be measured against it
        return (1.0 if value >= target else 0.0) if span == 0 else (value - baseline) / span
    if direction == "verlagen":
        span = baseline - target
        if span < 0:
            return None
        return (1.0 if value <= target else 0.0) if span == 0 else (baseline - value) / span
    return None


@dataclass(frozen=True)
class ABComparison:
    """Two groups on the same indicator, side by side: the difference and which did better."""

    groep_a: str
    groep_b: str
    resultaat_a: float | None
    resultaat_b: float | None
    verschil: float | None  # B minus A
    beter: str  # "A", "B", "gelijk" or "" (not both measured)
    leerpunt: str

    @property
    def text(self) -> str:
        from tui.model.values import format_value

        def num(v):
            return "?" if v is None else format_value("getal", v)

        parts = [f"A {self.groep_a or 'groep A'}: {num(self.resultaat_a)}", f"B {self.groep_b or 'groep B'}: {num(self.resultaat_b)}"]
        if self.verschil is not None:
            sign = "+" if self.verschil > 0 else ""
            parts.append(f"verschil (B − A) {sign}{num(self.verschil)}")
            parts.append({"A": f"A ({self.groep_a or 'groep A'}) deed het beter", "B": f"B ({self.groep_b or 'groep B'}) deed het beter", "gelijk": "even goed"}[self.beter])
        if self.leerpunt:
            parts.append(f"leerpunt: {self.leerpunt}")
        return " · ".join(parts)


def ab_comparison(action: dict) -> ABComparison | None:
    """The action's A/B comparison; which group did better follows the goal's direction
    (lower is better for 'verlagen' and 'onder houden'). None when there is none."""
    ab = action.get("ab") or {}
    if not any(ab.get(k) not in (None, "") for k in ("groep_a", "groep_b", "resultaat_a", "resultaat_b", "leerpunt")):
        return None
    a, b = ab.get("resultaat_a"), ab.get("resultaat_b")
    diff = better = None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        diff = round(b - a, 10)  # 4,2 − 3,5 is 0,7, not 0,7000000000000002
        lower_is_better = action.get("richting") in ("verlagen", "onder_houden")
        if diff == 0:
            better = "gelijk"
        else:
            better = "A" if (diff > 0) == lower_is_better else "B"
    return ABComparison(ab.get("groep_a", "") or "", ab.get("groep_b", "") or "", a, b, diff, better or "", ab.get("leerpunt", "") or "")


def latest_evaluation(action: dict) -> dict | None:
    evals = [e for e in action.get("evaluaties", []) if isinstance(e.get("datum"), dt.date) and e.get("waarde") is not None]
    return max(evals, key=lambda e: e["datum"]) if evals else None


@dataclass(frozen=True)
class ActionStatus:
    """Where an action stands, the same in the step 3 table, the timeline, presentation mode and
    the Excel export: a key, a symbol and a word (never colour alone), and a sentence that explains it."""

    key: str  # afgerond | gestopt | tegenstrijdig | gehaald | verlopen | risico | op_koers | niet_gemeten | onbekend | geen_deadline
    symbol: str
    word: str
    uitleg: str

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.word}"

    @property
    def inline(self) -> str:
        """The text within a line already cut by " · ": the dot symbol is left out there."""
        return self.word if self.symbol == "·" else self.text


STATUS_WORDS = {
    "afgerond": ("✓", "afgerond", "de actie is afgerond"),
    "gestopt": ("–", "gestopt", "de actie is gestopt"),
    "tegenstrijdig": ("✗", "doel tegenstrijdig", "nulmeting, streefwaarde en richting spreken elkaar tegen"),
    "gehaald": ("✓", "gehaald", "de laatste meting haalt de streefwaarde"),
    "verlopen": ("✗", "verlopen", "deadline verstreken, doel niet gehaald"),
    "risico": ("!", "risico", "haalt de deadline mogelijk niet"),
    "op_koers": ("→", "op koers", "de laatste meting ligt op schema"),
    "niet_gemeten": ("·", "nog niet gemeten", "nog geen meting: de voortgang is niet bekend"),
    "onbekend": ("·", "voortgang onbekend", "vul nulmeting, streefwaarde en richting in om de voortgang te zien"),
    "geen_deadline": ("·", "geen deadline", "zonder deadline is niet te zeggen of de actie op koers is"),
}


def status_legend() -> list[str]:
    """Every status symbol with its words ("✓ afgerond/gehaald"), as a legend beside a chart or
    table shows them: one group per symbol, to be kept whole on a line."""
    groups: dict[str, list[str]] = {}
    short = {"doel tegenstrijdig": "tegenstrijdig", "nog niet gemeten": "onbekend", "voortgang onbekend": "onbekend", "geen deadline": "onbekend"}
    for symbol, word, _ in STATUS_WORDS.values():
        words = groups.setdefault(symbol, [])
        if short.get(word, word) not in words:
            words.append(short.get(word, word))
    return [f"{symbol} {'/'.join(words)}" for symbol, words in groups.items()]


def _status(key: str, uitleg: str | None = None) -> ActionStatus:
    symbol, word, default = STATUS_WORDS[key]
    return ActionStatus(key, symbol, word, uitleg or default)


def action_status(action: dict, today: dt.date, start: dt.date | None = None, warn_days: int = 30) -> ActionStatus:
    """The one status of an action.

    A completed or stopped action says so. Otherwise the latest measurement decides: at the target
    it is 'gehaald'; past the deadline 'verlopen'. Without a measurement an action is never
    'op koers' (only 'risico' when the deadline is near). With one, the progress is compared with
    the time passed since the action began: the round's ``start``, the action's own start
    (``begonnen``, set when it was added), or for a follow-up the measurement that prompted it,
    whichever is latest.
    """
    status = action.get("status")
    if status in ("afgerond", "gestopt"):
        return _status(status)
    if goal_contradiction(action):
        return _status("tegenstrijdig", goal_contradiction(action))
    last = latest_evaluation(action)
    p = progress(action.get("nulmeting"), action.get("streefwaarde"), action.get("richting", ""), last["waarde"]) if last else None
    if p is not None and p >= 1:
        return _status("gehaald")
    deadline = action.get("deadline")
    if not isinstance(deadline, dt.date):
        return _status("geen_deadline")
    if today > deadline:
        if last is None:  # nothing says the goal was missed: only that it was never measured
            return _status("verlopen", "deadline verstreken zonder meting: niet te zeggen of het doel gehaald is")
        return _status("verlopen")
    days_left = (deadline - today).days
    near = days_left <= warn_days
    if last is None:
        if near:
            return _status("risico", f"nog geen meting en de deadline is over {days_left} {'dag' if days_left == 1 else 'dagen'}")
        return _status("niet_gemeten")
    if p is None:
        return _status("risico") if near else _status("onbekend")
    begun = max((d for d in (start, action.get("begonnen"), action.get("aanleiding_meting")) if isinstance(d, dt.date)), default=None)
    if begun is not None and begun < deadline:
        measured = min(max(last["datum"], begun), deadline)
        expected = (measured - begun).days / (deadline - begun).days
        if p < expected:
            return _status("risico", f"{p:.0%} van het doel bij de meting van {last['datum']:%d-%m-%Y}, verwacht {expected:.0%}")
        return _status("op_koers", f"{p:.0%} van het doel bij de meting van {last['datum']:%d-%m-%Y}, verwacht {expected:.0%}")
    return _status("risico") if near else _status("op_koers", f"{p:.0%} van het doel bij de laatste meting")


def deadline_state(action: dict, today: dt.date, start: dt.date | None = None, warn_days: int = 30) -> str | None:
    """The key of ``action_status``; None for an action without a deadline."""
    key = action_status(action, today, start, warn_days).key
    return None if key == "geen_deadline" else key


# ------------------------------------------------------------------ notices for `check` and the app


def workbook_notices(data: dict, now: dt.datetime | None = None) -> list[Problem]:
    """Deadline warnings and hints; never errors (a valid file stays valid)."""
    now = now or dt.datetime.now(UTC)
    today = now.date()
    settings = data.get("instellingen", {})
    warn_days = settings.get("review_waarschuwing_dagen", 30)
    months = settings.get("actualiteit_maanden", 12)
    out: list[Problem] = []
    for i, breach in enumerate(data.get("datalekregister", [])):
        clock = breach_clock(breach, now)
        if clock and clock.state in ("open", "verlopen"):
            out.append(Problem(f"datalek {breach.get('id', '')!r}: {clock.label} (termijn {local_time(clock.deadline)} Nederlandse tijd)", format_path(("datalekregister", i, "ontdekt")), severity="waarschuwing"))
        elif clock and clock.state == "te_laat_gemeld" and not clock.reason_given:
            out.append(Problem(f"datalek {breach.get('id', '')!r}: {clock.label} (termijn {local_time(clock.deadline)}, gemeld {local_time(breach['gemeld_op'])})", format_path(("datalekregister", i, "reden_vertraging")), severity="waarschuwing"))
    for i, rec in enumerate(data.get("verwerkingsregister", [])):
        state = review_state(rec, today, warn_days)
        if state == "verlopen":
            out.append(Problem(f"review van {rec.get('naam', '')!r} is verlopen ({rec['volgende_review']:%d-%m-%Y})", format_path(("verwerkingsregister", i, "volgende_review")), severity="waarschuwing"))
        elif state == "binnenkort":
            out.append(Problem(f"review van {rec.get('naam', '')!r} binnenkort ({rec['volgende_review']:%d-%m-%Y})", format_path(("verwerkingsregister", i, "volgende_review")), severity=HINT))
    register_ids = {r.get("id", "") for r in data.get("verwerkingsregister", [])}
    for i, src in enumerate(data.get("databronnen", [])):
        if needs_register_entry(src, register_ids):
            out.append(Problem(f"gepersonaliseerde bron {src.get('naam', '')!r} heeft geen verwerking in het verwerkingsregister", format_path(("databronnen", i, "verwerking")), severity=HINT))
        act = actualiteit(src, today, months)
        if act.warning:
            out.append(Problem(f"bron {src.get('naam', '')!r}: actualiteit ‘{act.value}’ {act.warning}", format_path(("databronnen", i, "actualiteit")), severity=HINT))
        elif is_current(src, today, months) is False:
            out.append(Problem(f"bron {src.get('naam', '')!r} is langer dan {months} maanden niet bijgewerkt: niet actueel", format_path(("databronnen", i, "bijgewerkt")), severity=HINT))
    for c, cycle in enumerate(data.get("cyclus", [])):
        for key in hidden_answers(cycle):
            out.append(Problem(f"‘{key}’ is beantwoord maar telt niet mee: die vraag hoort alleen bij het niveau lerend, en dit is nu {experience_level((cycle.get('data') or {}).get('ervaring')).naam.lower()}", format_path(("cyclus", c, "data", "ervaring", key)), severity=HINT))
        for a, action in enumerate(cycle.get("acties", [])):
            for e, ev in enumerate(action.get("evaluaties", []) or []):
                when = ev.get("datum") if isinstance(ev, dict) else None
                if isinstance(when, dt.date) and (when.date() if isinstance(when, dt.datetime) else when) > today:
                    out.append(Problem(f"actie {action.get('titel', '')!r}: meting van {when:%d-%m-%Y} ligt na vandaag; een typefout in het jaar?", format_path(("cyclus", c, "acties", a, "evaluaties", e, "datum")), severity="waarschuwing"))
            if action.get("status") in ("afgerond", "gestopt"):
                continue
            if deadline_state(action, today) == "verlopen":
                out.append(Problem(f"actie {action.get('titel', '')!r}: deadline {action['deadline']:%d-%m-%Y} is verstreken zonder dat het doel gehaald is", format_path(("cyclus", c, "acties", a, "deadline")), severity=HINT))
    return out


# ------------------------------------------------------------------ nieuwe ronde


def next_cycle(data: dict, from_index: int, today: dt.date, reason: str = "", title: str = "") -> dict:
    """The next cycle, started from cycle ``from_index``: the question, the chosen sources and the
    open actions come along (each marked as carried, with a new id that points back).

    A carried action starts where the old one ended: its latest measurement becomes the new
    baseline (``aanleiding_meting`` names that measurement); its measurements and A/B results
    stay with the old round."""
    import copy

    cycles = data.get("cyclus", [])
    prev = cycles[from_index]
    number = max((c.get("nummer", 0) for c in cycles), default=0) + 1
    taken = {a.get("id") for c in cycles for a in c.get("acties", [])}
    carried = []
    for action in prev.get("acties", []):
        if action.get("status") in ("afgerond", "gestopt"):
            continue
        new = {k: copy.deepcopy(v) for k, v in action.items() if k not in ("evaluaties", "ab", "aanleiding_meting")}
        last = latest_evaluation(action)
        if last is not None:
            new["nulmeting"] = last["waarde"]
            new["aanleiding_meting"] = last["datum"]
        base_id = f"{action.get('id', 'actie')}-r{number}"
        new_id, n = base_id, 2
        while new_id in taken:
            new_id, n = f"{base_id}-{n}", n + 1
        taken.add(new_id)
        new.update({"id": new_id, "meegenomen_uit": prev.get("nummer", from_index + 1), "vervolg_op": action.get("id", "")})
        carried.append(new)
    cycle: dict = {
        "nummer": number,
        "titel": title,
        "start": today,
        "aanleiding": reason,
        "voortgezet_uit": prev.get("nummer", from_index + 1),
        "huidige_stap": "vraagstuk",
        "vraagstuk": copy.deepcopy(prev.get("vraagstuk", {})),
        "data": {"bronnen": list(prev.get("data", {}).get("bronnen", []))},
    }
    if carried:
        cycle["acties"] = carried
    return cycle


# ------------------------------------------------------------------ plannen bijstellen

FOLLOW_UP_KEEPS = ("specifiek", "doelgroep", "indicator", "eenheid", "richting", "streefwaarde", "acceptabel", "eigenaar", "bronnen")


def follow_up_action(data: dict, cycle: int, action: int, evaluation: int | None = None) -> dict:
    """A follow-up of an action, started from one of its measurements (the latest by default).

    The goal and indicator come along; the measurement becomes the new baseline and its
    bijstelling the new goal text; ``vervolg_op`` and ``aanleiding_meting`` keep the link.
    """
    import copy

    prev = data["cyclus"][cycle]["acties"][action]
    evals = prev.get("evaluaties", []) or []
    ev = evals[evaluation] if evaluation is not None else latest_evaluation(prev)
    new = {k: copy.deepcopy(prev[k]) for k in FOLLOW_UP_KEEPS if k in prev}
    new["titel"] = f"Vervolg: {prev.get('titel', '')}".strip()
    new["status"] = "idee"
    new["vervolg_op"] = prev.get("id", "")
    if ev:
        if ev.get("waarde") is not None:
            new["nulmeting"] = ev["waarde"]
        if ev.get("bijstelling"):
            new["doel"] = ev["bijstelling"]
        if isinstance(ev.get("datum"), dt.date):
            new["aanleiding_meting"] = ev["datum"]
    return new
