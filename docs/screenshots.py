"""Regenerate the README's screenshots: the app's own SVG screenshots, turned into PNG.

    python docs/screenshots.py            # writes docs/screenshots/*.png (and the .svg beside them)

Each step of the guide is shown on the Mariniersmuseum example workbook at 100x32, with a fixed
clock so the pictures do not change between runs. Needs `rsvg-convert` (Debian: librsvg2-bin).
rsvg drops the spaces at the start of a text run, so those are turned into an x offset first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
SIZE = (100, 32)
NOW = dt.datetime(2022, 3, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
SHOTS = [
    ("1-vraagstuk", "vraagstuk", None),
    ("2-data", "data", "#bronnen DataTable"),
    ("3-actie", "actie", "#acties DataTable"),
    ("4-implementatie", "implementatie", None),
    ("overzicht", "overzicht", None),
]

TEXT = re.compile(r'(<text\b[^>]*?\bx=")([\d.]+)("[^>]*?\btextLength=")([\d.]+)("[^>]*>)((?:&#160;)+)([^<]*)(</text>)')


def fix_leading_spaces(svg: str) -> str:
    def shift(m: re.Match) -> str:
        x, length = float(m.group(2)), float(m.group(4))
        lead = m.group(6).count("&#160;")
        rest = m.group(7)
        chars = lead + len(re.sub(r"&[#\w]+;", "_", rest))
        cell = length / chars if chars else 0
        if not rest:
            return ""
        return f"{m.group(1)}{x + lead * cell:.1f}{m.group(3)}{length - lead * cell:.1f}{m.group(5)}{rest}{m.group(8)}"

    return TEXT.sub(shift, svg)


async def shoot(path: Path, name: str, tab: str, focus: str | None) -> Path:
    from tui.app.werkboek_app import WerkboekApp

    app = WerkboekApp(path, clock=lambda: NOW, autosave=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        app.action_show_tab(tab)
        for _ in range(300):
            if app.pane_ready(tab):
                break
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        if focus:
            app.query_one(focus).focus()
        await pilot.pause(0.3)
        svg = OUT / f"{name}.svg"
        app.save_screenshot(str(svg))
    return svg


def main() -> None:
    if not shutil.which("rsvg-convert"):
        sys.exit("rsvg-convert is needed: apt-get install librsvg2-bin")
    from tui.templates import create_workbook

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = create_workbook(Path(tmp) / "werkboek.toml", "mariniersmuseum")
        for name, tab, focus in SHOTS:
            svg = asyncio.run(shoot(path, name, tab, focus))
            png = svg.with_suffix(".png")
            subprocess.run(["rsvg-convert", "-o", str(png)], input=fix_leading_spaces(svg.read_text(encoding="utf-8")).encode(), check=True)
            svg.unlink()
            print(png.relative_to(ROOT))


if __name__ == "__main__":
    main()
