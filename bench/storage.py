"""Storage speed against bare tomlkit, measured in the same run.

    python bench/storage.py [--sizes 10,100,1000,10000]

For each workbook size (evaluation entries): load (tomllib for display + tomlkit document),
save after a one-field edit (render, verify by re-reading, atomic write with fsync), and the same
work done with bare tomlkit (parse; dumps of the already-parsed document), with the ratio.
Target: a one-field save of the 1,000-entry workbook under 50 ms and within 1.5x of tomlkit.dumps.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tomlkit  # noqa: E402

from _common import median_time, ms  # noqa: E402
from make_large_workbook import make  # noqa: E402
from tui import storage  # noqa: E402


def bench(size: int, folder: Path) -> dict:
    path = make(folder / f"w{size}.toml", cycles=max(1, min(12, size // 10)), evaluations=size, records=max(1, size // 5), sources=max(1, size // 10))
    text = path.read_text(encoding="utf-8")

    def load():
        storage.load(path).document()

    t_load = median_time(load)
    t_parse = median_time(lambda: tomlkit.parse(text))
    wb = storage.load(path)
    doc = wb.document()
    counter = iter(range(10**9))

    def edit_and_save():
        wb.set(("organisatie", "naam"), f"Theater {next(counter)}")
        storage.save(wb)

    t_save = median_time(edit_and_save, repeat=9)
    t_dumps = median_time(lambda: tomlkit.dumps(doc), repeat=9)
    return {"size": size, "bytes": path.stat().st_size, "load": t_load, "parse": t_parse, "save": t_save, "dumps": t_dumps}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10,100,1000,10000")
    sizes = [int(s) for s in p.parse_args().sizes.split(",")]
    print(f"{'entries':>8} {'file':>10} {'load':>11} {'tomlkit.parse':>14} {'ratio':>6} {'save (1 edit)':>14} {'tomlkit.dumps':>14} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = bench(size, Path(tmp))
            print(
                f"{r['size']:>8} {r['bytes']:>10,} {ms(r['load']):>11} {ms(r['parse']):>14} {r['load'] / r['parse']:>5.2f}x"
                f" {ms(r['save']):>14} {ms(r['dumps']):>14} {r['save'] / r['dumps']:>5.2f}x"
            )


if __name__ == "__main__":
    main()
