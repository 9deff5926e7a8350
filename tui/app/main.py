"""Start the app on a workbook path."""

from __future__ import annotations

from pathlib import Path


def run(path: Path) -> int:
    from tui.app.werkboek_app import WerkboekApp

    app = WerkboekApp(path)
    app.run()
    return app.return_code or 0
