"""Generate a large, valid workbook deterministically.

    python bench/make_large_workbook.py OUT.toml [--cycles 12] [--evaluations 1000]
        [--records 200] [--sources 100] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui import storage  # noqa: E402
from tui.model.schema import load_schema  # noqa: E402
from tui.templates import create_workbook  # noqa: E402

CET = dt.timezone(dt.timedelta(hours=1))
WORDS = "publiek bezoekers gezinnen jongeren ticketing nieuwsbrief voorstelling matinee wijk postcode segment bereik klantreis programmering".split()


def sentence(rng: random.Random, n: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def make(out: Path, cycles: int = 12, evaluations: int = 1000, records: int = 200, sources: int = 100, seed: int = 7) -> Path:
    rng = random.Random(seed)
    schema = load_schema()
    if out.exists():
        out.unlink()
    create_workbook(out)
    wb = storage.load(out)
    wb.set(("organisatie", "naam"), "Theater Voorbeeld")
    for s in range(sources):
        wb.append(("databronnen",), {
            "id": f"bron-{s}", "naam": f"Bron {s}", "soort": rng.choice(schema.choice_values("soort_bron")),
            "herkomst": rng.choice(schema.choice_values("herkomst")), "anonimiteit": rng.choice(schema.choice_values("anonimiteit")),
            "bijgewerkt": dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(600)), "relevant": rng.choice(["ja", "nee"]),
        })
    for r in range(records):
        i = wb.append(("verwerkingsregister",), {
            "id": f"verwerking-{r}", "naam": f"Verwerking {r}", "betrokkenen": ["bezoekers"], "persoonsgegevens": ["naam", "e-mailadres"],
            "bewaartermijn": "2 jaar", "volgende_review": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(500)),
        })
        wb.append(("verwerkingsregister", i, "doelen"), {"doel": sentence(rng, 4), "grondslag": rng.choice(schema.choice_values("grondslag"))})
    for b in range(max(1, records // 20)):
        wb.append(("datalekregister",), {"id": f"lek-{b}", "ontdekt": dt.datetime(2024, 1, 1, 9, 0, tzinfo=CET) + dt.timedelta(days=rng.randrange(600)), "samenvatting": sentence(rng)})
    per_cycle = max(1, evaluations // cycles)
    left = evaluations
    for c in range(cycles):
        if c > 0:
            wb.append(("cyclus",), {"nummer": c + 1, "start": dt.date(2024, 1, 1) + dt.timedelta(days=60 * c), "vraagstuk": {"kernvraag": sentence(rng)}})
        else:
            wb.set(("cyclus", 0, "start"), dt.date(2024, 1, 1))
        n_here = left if c == cycles - 1 else min(per_cycle, left)
        actions = max(1, n_here // 10)
        for a in range(actions):
            ai = wb.append(("cyclus", c, "acties"), {
                "id": f"r{c + 1}-a{a + 1}", "titel": sentence(rng, 3), "doel": sentence(rng, 12), "indicator": "bezoekers",
                "nulmeting": 100, "streefwaarde": 110 + rng.randrange(50), "richting": "verhogen",
                "deadline": dt.date(2024, 1, 1) + dt.timedelta(days=60 * c + 50), "status": "lopend",
            })
            share = n_here // actions + (1 if a < n_here % actions else 0)
            for e in range(share):
                wb.append(("cyclus", c, "acties", ai, "evaluaties"), {
                    "datum": dt.date(2024, 1, 1) + dt.timedelta(days=60 * c + e % 50), "waarde": 100 + rng.randrange(60),
                    "bron": "ticketing", "observatie": sentence(rng), "conclusie": sentence(rng, 5), "bijstelling": sentence(rng, 5),
                })
        left -= n_here
    storage.save(wb)
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("out", type=Path)
    p.add_argument("--cycles", type=int, default=12)
    p.add_argument("--evaluations", type=int, default=1000)
    p.add_argument("--records", type=int, default=200)
    p.add_argument("--sources", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args()
    make(a.out, a.cycles, a.evaluations, a.records, a.sources, a.seed)
    print(f"{a.out}: {a.out.stat().st_size:,} bytes")
