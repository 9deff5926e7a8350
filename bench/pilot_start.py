"""What one headless (Pilot) start of the app costs, the unit most tests pay, against a bare
Textual app and a plain Textual form of similar size, measured in the same run (CPU seconds).

    python bench/pilot_start.py [--repeat 5]

Prints CPU seconds per start and the ratio to the bare app: the app until its first frame,
until step 1's form is mounted (at 80x24 and 160x45), and F6 into presentation mode and out.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App  # noqa: E402
from textual.containers import Vertical, VerticalScroll  # noqa: E402
from textual.widgets import Footer, Header, Label, Static, TextArea  # noqa: E402

from tui.app.werkboek_app import WerkboekApp  # noqa: E402
from tui.config import Config  # noqa: E402
from tui.templates import create_workbook  # noqa: E402


class Bare(App):
    def compose(self):
        yield Header()
        yield Static("x")
        yield Footer()


class PlainForm(App):
    """Ten question groups (label, text area, message line): what step 1's form holds."""

    def compose(self):
        yield Header()
        with VerticalScroll():
            for i in range(10):
                with Vertical():
                    yield Label(f"Vraag {i}")
                    yield TextArea("tekst " * 20, soft_wrap=True)
                    yield Static("")
        yield Footer()


async def _start(make, size, until=None, then=None) -> None:
    app = make()
    async with app.run_test(size=size) as pilot:
        if until is not None:
            while not until(app):
                await pilot.pause(0.01)
            await pilot.pause()
        if then is not None:
            await then(pilot)


async def _presentation(pilot) -> None:
    from tui.app.presentation import PresentationScreen

    app = pilot.app
    await pilot.press("f6")
    while not (isinstance(app.screen, PresentationScreen) and app.screen.ready == app.screen.index):
        await pilot.pause(0.01)
    await pilot.press("escape")
    while len(app.screen_stack) > 1:
        await pilot.pause(0.01)


def cpu_per_start(repeat: int, make, size=(80, 24), until=None, then=None) -> float:
    asyncio.run(_start(make, size, until, then))  # warm-up: imports, caches
    t0 = time.process_time()
    for _ in range(repeat):
        asyncio.run(_start(make, size, until, then))
    return (time.process_time() - t0) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    counter = iter(range(10**6))

    def werkboek():
        path = create_workbook(folder / f"w{next(counter)}.toml", "mariniersmuseum")
        return WerkboekApp(path, autosave=0, config=Config())

    def form_ready(app):
        return app.pane_ready("vraagstuk")

    base = cpu_per_start(args.repeat, Bare)
    rows = [
        ("bare Textual app (baseline)", base),
        ("plain Textual form, 10 fields", cpu_per_start(args.repeat, PlainForm)),
        ("werkboek, first frame", cpu_per_start(args.repeat, werkboek)),
        ("werkboek, step 1 form, 80x24", cpu_per_start(args.repeat, werkboek, until=form_ready)),
        ("werkboek, step 1 form, 160x45", cpu_per_start(args.repeat, werkboek, (160, 45), until=form_ready)),
        ("werkboek, form + F6 and back", cpu_per_start(args.repeat, werkboek, until=form_ready, then=_presentation)),
    ]
    for name, seconds in rows:
        print(f"{name:32} {seconds:6.3f} s CPU  {seconds / base:5.1f}x")


if __name__ == "__main__":
    main()
