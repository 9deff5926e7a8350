"""Keystroke latency, measured in-process: a key event to the next screen update.

    python bench/latency.py [--repeat 30]

Runs the app headless at 120x40 on the blank and on the large workbook (12 cycles, 1,000
evaluations, 200 register records, 100 sources) and presses keys through Textual's Pilot: Tab
(a focus move), F4/F3 (a tab switch; animations are off) and a typed character. The time is
taken from just before the key is delivered to the first frame written after it (App._display).
The baseline, measured in the same run, is a bare Textual app with two Inputs moving focus.
Targets: focus move under 30 ms, tab switch under 40 ms.
Also printed: peak memory (VmHWM) of a process with the large workbook open and every tab
visited, and the time to build the overview tab of the large workbook.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from textual.app import App  # noqa: E402
from textual.widgets import Input  # noqa: E402


class Bare(App):
    def compose(self):
        yield Input()
        yield Input()


def record_frames(app: App) -> list[float]:
    """A list that gets the time of every frame the app writes from now on."""
    frames: list[float] = []
    original = app._display

    def display(screen, renderable):
        frames.append(time.perf_counter())
        return original(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    return frames


async def measure(app: App, keys: list[str], repeat: int, size: tuple[int, int] = (120, 40), prepare=None, between=None) -> dict[str, float]:
    """Median time from each key to the next frame. ``prepare(pilot)`` runs once before, and
    ``between(pilot)`` after each round of keys (both untimed)."""
    frames = record_frames(app)
    results: dict[str, list[float]] = {k: [] for k in keys}
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        if prepare:
            await prepare(pilot)
        for _ in range(repeat):
            for key in keys:
                frames.clear()
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                after = [f for f in frames if f >= t0]
                if after:
                    results[key].append(after[0] - t0)
            if between:
                await between(pilot)
    return {k: statistics.median(v) for k, v in results.items() if v}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeat", type=int, default=30)
    repeat = p.parse_args().repeat
    from make_large_workbook import make

    from tui.app.werkboek_app import WerkboekApp
    from tui.templates import create_workbook

    base = asyncio.run(measure(Bare(), ["tab"], repeat))["tab"]
    print(f"{'case':<34} {'median':>9} {'vs bare focus move':>19}")
    print(f"{'bare textual: focus move (tab)':<34} {base * 1000:>6.1f} ms {1:>18.2f}x")
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "leeg.toml"
        create_workbook(blank)
        large = make(Path(tmp) / "groot.toml")
        for label, path in (("blank", blank), ("large", large)):
            r = asyncio.run(measure(WerkboekApp(path, autosave=0), ["tab", "f4", "f3", "x"], repeat))
            for key, name in (("tab", "focus move (tab)"), ("f4", "tab switch (f4)"), ("f3", "tab switch (f3)"), ("x", "type a character")):
                if key in r:
                    print(f"{label + ': ' + name:<34} {r[key] * 1000:>6.1f} ms {r[key] / base:>18.2f}x")

        async def overview() -> float:
            app = WerkboekApp(large, autosave=0)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause(0.5)
                await app.workers.wait_for_complete()  # the tomlkit document, parsed in the background
                t0 = time.perf_counter()
                app.action_show_tab("overzicht")
                await pilot.pause()
                while not app.pane_ready("overzicht"):
                    await pilot.pause(0.005)
                return time.perf_counter() - t0

        opened = asyncio.run(overview())
        print(f"{'large: open the overview tab':<34} {opened * 1000:>6.1f} ms")
    print(f"peak memory of the large workbook app, every tab opened: {large_app_memory():.0f} MiB (VmHWM of its own process)")


def large_app_memory() -> float:
    """Peak memory of a process that opens the large workbook and visits every tab."""
    import subprocess

    code = f"""
import asyncio, sys, tempfile
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / "bench")!r})
from make_large_workbook import make
from tui.app.werkboek_app import WerkboekApp
path = make(Path(tempfile.mkdtemp()) / "groot.toml")
async def main():
    app = WerkboekApp(path, autosave=0)
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("data", "actie", "implementatie", "overzicht", "vraagstuk"):
            app.action_show_tab(key)
            for _ in range(500):  # until the tab's form (the overview: its timeline) is built
                await pilot.pause(0.02)
                if app.pane_ready(key):
                    break
            else:
                raise SystemExit(f"tab {{key}} was not built")
        await app.workers.wait_for_complete()
asyncio.run(main())
from _common import peak_kib  # VmHWM: ru_maxrss would carry over this bench's own peak
print(peak_kib() / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
