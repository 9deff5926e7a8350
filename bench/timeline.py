"""The cycle timeline on a large workbook: opening the overview tab and moving along the timeline.

    python bench/timeline.py [--repeat 20]

The large workbook has 12 cycles, 1,000 evaluation entries, 96 action deadlines and 10 data
breaches: 1,118 items on the timeline. Headless at 120x40 and at 80x24, in one process:

- building the items and the layout from the workbook data (the model alone), against reading
  the same file with tomllib (the baseline of any screen that shows the workbook);
- opening the overview tab for the first time (until its form is mounted and painted), against
  opening step 2 (Data) for the first time in the same app;
- a key on the focused timeline (→ next item, ↓ other lane, PgDn next place, End) to the first
  frame after it, against a bare Textual app moving focus between two Inputs.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _common import median_time  # noqa: E402
from latency import Bare, measure  # noqa: E402


async def open_tab(path: Path, tab: str, size: tuple[int, int]) -> float:
    from tui.app.werkboek_app import WerkboekApp

    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        t0 = time.perf_counter()
        app.action_show_tab(tab)
        await pilot.pause()
        while not app.pane_ready(tab):
            await pilot.pause(0.002)
        await pilot.pause()  # the frame that shows it
        return time.perf_counter() - t0


async def on_timeline(pilot) -> None:
    app = pilot.app
    app.action_show_tab("overzicht")
    while not app.pane_ready("overzicht"):
        await pilot.pause(0.01)
    await pilot.pause(0.3)
    app.query_one("#timeline-chart").focus()
    await pilot.press("home", "down", "down")  # the measurements: the busiest lane


async def back_home(pilot) -> None:
    await pilot.press("home")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=20)
    repeat = p.parse_args().repeat
    from make_large_workbook import make

    from tui.app.werkboek_app import WerkboekApp
    from tui.model import timeline as tl

    with tempfile.TemporaryDirectory() as tmp:
        large = make(Path(tmp) / "groot.toml")
        raw = large.read_bytes()
        data = tomllib.loads(raw.decode())
        now = dt.datetime.now(dt.timezone.utc)
        n = len(tl.items(data, now))
        read = median_time(lambda: tomllib.loads(raw.decode()), repeat)
        model = median_time(lambda: tl.layout(tl.items(data, now), now.date(), 109), repeat)
        print(f"large workbook: {n:,} timeline items")
        print(f"{'case':<40} {'median':>9} {'ratio':>8}  baseline")
        print(f"{'items + layout (model)':<40} {model * 1000:>6.1f} ms {model / read:>7.2f}x  tomllib read of the file {read * 1000:.1f} ms")
        bare = asyncio.run(measure(Bare(), ["tab"], repeat))["tab"]
        for size in ((120, 40), (80, 24)):
            label = f"{size[0]}x{size[1]}"
            data_tab = statistics.median(asyncio.run(open_tab(large, "data", size)) for _ in range(3))
            overview = statistics.median(asyncio.run(open_tab(large, "overzicht", size)) for _ in range(3))
            print(f"{label + ': open the overview tab':<40} {overview * 1000:>6.1f} ms {overview / data_tab:>7.2f}x  opening step 2 {data_tab * 1000:.1f} ms")
            app = WerkboekApp(large, autosave=0)
            keys = asyncio.run(measure(app, ["right", "pagedown", "down", "up", "end"], repeat, size, prepare=on_timeline, between=back_home))
            for key, name in (("right", "next item (→)"), ("pagedown", "next place (PgDn)"), ("down", "other lane (↓)"), ("up", "other lane (↑)"), ("end", "last item (End)")):
                if key in keys:
                    print(f"{label + ': ' + name:<40} {keys[key] * 1000:>6.1f} ms {keys[key] / bare:>7.2f}x  bare Textual focus move {bare * 1000:.1f} ms")


if __name__ == "__main__":
    main()
