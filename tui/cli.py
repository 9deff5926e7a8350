"""The command line. The app and these commands call the same functions (storage, model, export)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_WORKBOOK = "werkboek.toml"
COMMANDS = ("new", "check", "templates", "open")

EXIT_OK, EXIT_CONTENT, EXIT_PARSE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="publieksdata",
        description="Publieksdata werkboek: werk het stappenplan 'aan de slag met publieksdata' door.",
        epilog="Zonder opdracht opent `publieksdata [PAD]` de app (standaard werkboek.toml in deze map).",
    )
    sub = p.add_subparsers(dest="command", metavar="OPDRACHT")
    o = sub.add_parser("open", help="open de app op een werkboek (dit is ook wat `publieksdata PAD` doet)")
    o.add_argument("path", nargs="?", default=DEFAULT_WORKBOOK, metavar="PAD")
    n = sub.add_parser("new", help="maak een nieuw werkboek uit een sjabloon")
    n.add_argument("path", metavar="PAD")
    n.add_argument("--template", default="leeg", metavar="NAAM", help="sjabloon (zie `publieksdata templates`)")
    c = sub.add_parser("check", help="controleer een werkboek en meld alle problemen")
    c.add_argument("path", metavar="PAD")
    sub.add_parser("templates", help="toon de beschikbare sjablonen")
    return p


def cmd_new(path: str, template: str) -> int:
    from tui.templates import create_workbook

    try:
        create_workbook(path, template)
    except FileExistsError:
        print(f"{path}: bestaat al; er is niets overschreven", file=sys.stderr)
        return 1
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    except Exception as exc:  # SaveError, OSError: say it plainly
        print(f"{path}: {exc}", file=sys.stderr)
        return 1
    print(f"{path}: nieuw werkboek gemaakt uit sjabloon '{template}'")
    return EXIT_OK


def cmd_check(path: str) -> int:
    from tui import storage
    from tui.model.problems import FOUT
    from tui.model.rules import workbook_notices

    wb, problems = storage.check(path)
    for prob in problems:
        print(prob.format(path))
    if wb is None:
        return EXIT_PARSE
    errors = [p for p in problems if p.severity == FOUT]
    if not errors:
        for notice in workbook_notices(wb.data):
            print(notice.format(path))
    if errors:
        print(f"{path}: {len(errors)} {'probleem' if len(errors) == 1 else 'problemen'} gevonden", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def cmd_templates() -> int:
    from tui.templates import list_templates

    for t in list_templates():
        print(f"{t.name:<16} {t.nl}")
    return EXIT_OK


def cmd_open(path: str) -> int:
    from tui.templates import create_workbook

    p = Path(path)
    if not p.exists():
        create_workbook(p)
        print(f"{path}: nieuw werkboek gemaakt uit het lege sjabloon", file=sys.stderr)
    from tui.app.main import run

    return run(p)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        argv = ["open", *argv]
    args = _parser().parse_args(argv)
    if args.command == "new":
        return cmd_new(args.path, args.template)
    if args.command == "check":
        return cmd_check(args.path)
    if args.command == "templates":
        return cmd_templates()
    return cmd_open(args.path)


if __name__ == "__main__":
    raise SystemExit(main())
