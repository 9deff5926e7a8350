"""Evaluation-log export speed and memory against bare openpyxl write-only, in the same run.

    python bench/export.py [--sizes 1000,10000,100000]

Each measurement runs in its own process: it builds the workbook data, then either exports the
evaluatielog with tui.export (styles, validations, sanitising, read-back check, Toelichting) or
writes the same rows with a bare openpyxl write-only sheet. Printed: rows per second and the
peak memory the writing added on top of the data (the process's own peak, VmHWM, after minus before).
Targets: within 1.3x of the baseline's time; memory that does not grow with the row count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from _common import peak_kib  # noqa: E402


def make_data(n: int) -> dict:
    actions = []
    for a in range(max(1, n // 10)):
        evals = [
            {"datum": dt.date(2024, 1, 1) + dt.timedelta(days=e), "waarde": 100 + (a + e) % 40, "bron": "ticketing",
             "observatie": f"Observatie {a}-{e} over bezoekers uit de wijk.", "conclusie": "Meer gezinnen dan verwacht.", "bijstelling": "Matinee op zondag."}
            for e in range(min(10, n - a * 10))
        ]
        actions.append({"id": f"a{a}", "titel": f"Actie {a}", "doel": "Het aantal bezoekers uit de gemeente Utrecht verhogen met 10% vóór december 2025.",
                        "indicator": "bezoekers", "nulmeting": 100, "streefwaarde": 110, "richting": "verhogen", "deadline": dt.date(2025, 12, 1),
                        "status": "lopend", "evaluaties": evals})
    return {"schema": 1, "organisatie": {"naam": "Theater Voorbeeld"}, "cyclus": [{"nummer": 1, "start": dt.date(2024, 1, 1), "acties": actions}]}


def child(kind: str, n: int, out: str) -> dict:
    data = make_data(n)
    if kind == "tui":
        # As in `publieksdata export`, the workbook was checked first, so our modules and the
        # schema are loaded; openpyxl is imported inside the timed region by both variants.
        from tui.export import _content, export_workbook
        from tui.model.schema import load_schema

        load_schema()
        _content()
    before = peak_kib()
    t0 = time.perf_counter()
    if kind == "tui":
        export_workbook(data, Path(out), ["evaluatielog"])
    else:
        from openpyxl import Workbook

        from tui.export import _content, progress_formula, rows_evaluatielog

        keys = list(_content()["bladen"]["evaluatielog"]["kolommen"])
        letters = {k: chr(ord("A") + i) for i, k in enumerate(keys)}
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Evaluatielog")
        ws.append(keys)
        for r, row in enumerate(rows_evaluatielog(data, dt.date(2025, 1, 1)), start=2):
            ws.append([progress_formula(r, letters) if k == "voortgang" else row.get(k) for k in keys])
        wb.save(out)
    seconds = time.perf_counter() - t0
    after = peak_kib()
    return {"seconds": seconds, "added_kib": after - before}


def measure(kind: str, n: int, folder: str) -> dict:
    out = str(Path(folder) / f"{kind}-{n}.xlsx")
    r = subprocess.run([sys.executable, __file__, "--child", kind, str(n), out], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--repeat", type=int, default=3)
    sizes = [int(s) for s in p.parse_args().sizes.split(",")]
    repeat = p.parse_args().repeat
    print(f"{'rows':>8} {'tui rows/s':>12} {'bare rows/s':>12} {'time ratio':>11} {'tui +MiB':>9} {'bare +MiB':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            runs: dict[str, list[dict]] = {"bare": [], "tui": []}
            for _ in range(repeat):  # interleaved, so drift in machine load hits both alike
                for k in runs:
                    runs[k].append(measure(k, n, tmp))
            best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
            mem = {k: max(r["added_kib"] for r in v) / 1024 for k, v in runs.items()}
            print(
                f"{n:>8} {n / best['tui']['seconds']:>12,.0f} {n / best['bare']['seconds']:>12,.0f}"
                f" {best['tui']['seconds'] / best['bare']['seconds']:>10.2f}x {mem['tui']:>9.1f} {mem['bare']:>10.1f}"
            )


if __name__ == "__main__":
    main()
