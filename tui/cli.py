"""The command line. The app and these commands call the same functions (storage, model, export)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_WORKBOOK = "werkboek.toml"
COMMANDS = ("new", "check", "templates", "open", "export", "import", "serve", "merge", "git-setup")

EXIT_OK, EXIT_CONTENT, EXIT_PARSE = 0, 1, 2


def _number_between(low: int, high: int):
    """An argument type: a whole number from ``low`` to ``high``, said in Dutch otherwise."""

    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is geen heel getal; kies een getal van {low} tot en met {high}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} kan niet; kies een getal van {low} tot en met {high}")
        return value

    return number


def _parser() -> argparse.ArgumentParser:
    from tui.argparse_nl import speak_dutch

    speak_dutch()
    from tui.export import SHEETS  # plain Python; openpyxl loads only when exporting

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
    e = sub.add_parser("export", help="exporteer naar Excel voor het management")
    e.add_argument("path", metavar="PAD")
    e.add_argument("-o", "--output", metavar="UIT.xlsx", help="doelbestand (standaard: PAD met .xlsx)")
    e.add_argument("--sheets", default=",".join(SHEETS), metavar="BLADEN", help="komma-gescheiden: " + ",".join(SHEETS))
    e.add_argument("--mode", action="append", metavar="OCTAAL", help="rechten van een nieuw bestand (standaard 600: alleen jij); leesbaar voor anderen alleen als je het twee keer vraagt")
    e.add_argument("--strict", action="store_true", help="weiger een werkboek met inhoudelijke problemen (standaard: toch exporteren, met een blad Problemen)")
    i = sub.add_parser("import", help="lees de wijzigingen uit een bewerkte Excel-export (eerst alleen tonen)")
    i.add_argument("path", metavar="WERKBOEK")
    i.add_argument("xlsx", metavar="EXPORT.xlsx")
    i.add_argument("--apply", action="store_true", help="schrijf de geldige wijzigingen in het werkboek (zonder: alleen tonen)")
    v = sub.add_parser("serve", help="toon de app in een browser (voor een beamer of een collega), alleen met het token")
    v.add_argument("path", nargs="?", default=DEFAULT_WORKBOOK, metavar="PAD")
    v.add_argument("--port", type=_number_between(1, 65535), default=8000, help="poort (standaard 8000)")
    v.add_argument("--host", default="127.0.0.1", help="adres (standaard 127.0.0.1: alleen deze computer)")
    v.add_argument("--font-size", type=_number_between(6, 96), default=16, metavar="N", help="grootte van de letters in de browser in pixels (standaard 16; groter voor een beamer)")
    v.add_argument("--i-understand-this-is-public", dest="public", action="store_true", help="nodig om op een ander adres dan 127.0.0.1 te luisteren")
    m = sub.add_parser("merge", help="voeg twee versies van een werkboek samen met hun gezamenlijke basis (git merge driver)")
    m.add_argument("base", metavar="BASIS")
    m.add_argument("ours", metavar="ONS", help="de eigen versie; hier komt het resultaat")
    m.add_argument("theirs", metavar="HUN")
    m.add_argument("name", nargs="?", default="", metavar="PAD", help="de naam van het werkboek in de repository (voor meldingen)")
    m.add_argument("--ons-label", default="", metavar="NAAM", help="waar de eigen versie vandaan komt (standaard: de huidige git-tak)")
    m.add_argument("--hun-label", default="", metavar="NAAM", help="waar de andere versie vandaan komt (standaard: de tak die wordt samengevoegd)")
    g = sub.add_parser("git-setup", help="stel een git-repository in om werkboeken met `publieksdata merge` samen te voegen")
    g.add_argument("paths", nargs="*", default=[DEFAULT_WORKBOOK], metavar="WERKBOEK")
    return p


def default_export_path(path: str | Path) -> Path:
    return Path(path).with_suffix(".xlsx")


def parse_mode(modes: list[str] | None) -> tuple[int | None, str]:
    """The file mode from --mode: (mode, "") or (None, why it is refused).

    A mode that lets others (outside the group) read or write the file must be asked twice.
    """
    modes = modes or ["600"]
    try:
        values = [int(m, 8) for m in modes]
    except ValueError:
        bad = next(m for m in modes if not all(ch in "01234567" for ch in m) or not m)
        return None, f"--mode {bad}: geen octaal getal zoals 600 of 640"
    if any(v > 0o777 or v < 0 for v in values) or len(set(values)) > 1:
        return None, f"--mode {' '.join(modes)}: geef één octaal getal tussen 000 en 777"
    mode = values[0]
    if mode & 0o600 != 0o600:  # the one who exports could not open or replace it
        return None, f"--mode {modes[0]}: dan kun je het bestand zelf niet lezen of vervangen; de eigenaar heeft minstens 6 nodig (zoals 600 of 640)"
    if mode & 0o007 and len(values) < 2:
        can = " en ".join(word for bit, word in ((0o004, "lezen"), (0o002, "veranderen"), (0o001, "uitvoeren")) if mode & bit)
        return None, (
            f"--mode {modes[0]}: dan kan iedereen op deze computer het bestand {can} (het verwerkingsregister en de "
            f"datalekken zijn vertrouwelijk); bedoel je dat echt, geef dan --mode {modes[0]} twee keer"
        )
    return mode, ""


def cmd_export(path: str, output: str | None, sheets: str, mode: list[str] | None, strict: bool = False) -> int:
    from tui import storage
    from tui.export import ExportError, export_workbook
    from tui.model.problems import FOUT

    kind = spreadsheet_kind(path)
    if kind:
        print(f"{path}: dit is {kind}, geen werkboek; exporteer het werkboek (.toml), of: {_spreadsheet_hint(path, kind)}", file=sys.stderr)
        return EXIT_PARSE
    file_mode, why = parse_mode(mode) if mode else (None, "")  # without --mode: 600, or the existing file's own
    if why:
        print(why, file=sys.stderr)
        return EXIT_CONTENT
    chosen = list(dict.fromkeys(s.strip() for s in sheets.split(",") if s.strip()))  # each once, in the order asked
    if not chosen:  # an empty list would replace a whole export with one that holds no sheet
        print(f"--sheets {sheets!r}: noem minstens één blad (verwerkingsregister, evaluatielog, databronnen, datalekken, overzicht); er is niets geëxporteerd", file=sys.stderr)
        return EXIT_CONTENT
    wb, problems = storage.check(path)
    errors = [p for p in problems if p.severity == FOUT]
    for prob in errors:
        print(prob.format(path), file=sys.stderr)
    if wb is None or (errors and strict):
        print(f"{path}: eerst de problemen oplossen (publieksdata check {path}); er is niets geëxporteerd", file=sys.stderr)
        return EXIT_PARSE if wb is None else EXIT_CONTENT
    out = Path(output) if output else default_export_path(path)
    try:
        result = export_workbook(
            wb.data, out, chosen, mode=file_mode,
            source=Path(path).name, problems=errors,
        )
    except ExportError as exc:
        print(str(exc) if str(exc).startswith(f"{out}:") else f"{out}: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    for notice in result.notices:
        print(f"{out}: {notice.format()}", file=sys.stderr)
    from tui.export import nl_int

    summary = ", ".join(f"{name} {nl_int(n)} {'regel' if n == 1 else 'regels'}" for name, n in result.rows.items())
    print(f"{out}: geëxporteerd ({summary})")
    if errors:
        n = len(errors)
        print(f"{out}: let op: het werkboek heeft {n} {'probleem' if n == 1 else 'problemen'}; ze staan in de export op het blad Problemen", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def cmd_import(path: str, xlsx: str, apply: bool) -> int:
    """Show every change in an edited export as record, field, old → new; write them with --apply."""
    from tui import storage
    from tui.exchange import ExchangeError, read_changes
    from tui.export import nl_int
    from tui.session import Session

    try:
        session = Session.open(path)
    except storage.WorkbookError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PARSE
    try:
        result = read_changes(session.data, xlsx)
    except ExchangeError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_PARSE
    made = f"gemaakt op {result.exported}" + (f" uit {result.source}" if result.source else "")
    print(f"{xlsx}: export {made}" + ("; het werkboek is sindsdien gewijzigd" if result.workbook_changed else ""))
    if result.source and result.source != Path(path).name:
        print(f"{xlsx}: let op: deze export is gemaakt uit {result.source}, niet uit {Path(path).name}", file=sys.stderr)
    for change in result.changes:
        print(change.format())
    for finding in result.conflicts:
        print(f"conflict: {finding.format()}")
    for finding in result.invalid:
        print(f"ongeldig: {finding.format()}")
    for finding in result.ignored:
        print(f"genegeerd: {finding.format()}")
    for word, found in (("conflicten", result.conflicts), ("ongeldige cellen", result.invalid), ("genegeerde cellen", result.ignored)):
        if found.dropped:
            print(f"… en nog {nl_int(found.dropped)} {word} (niet getoond)")
    n = len(result.changes)
    words = f"{nl_int(n)} {'wijziging' if n == 1 else 'wijzigingen'}"
    trouble = len(result.conflicts) + len(result.invalid) + result.conflicts.dropped + result.invalid.dropped
    if not apply:
        print(f"{path}: {words}; er is niets geschreven (schrijf ze met --apply)")
        return EXIT_CONTENT if trouble else EXIT_OK
    if n:
        session.apply_import(result.changes)
        try:
            session.save(assign_ids=False)  # only what was listed: no ids for records the import did not touch
        except storage.SaveError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_CONTENT
    print(f"{path}: {words} geschreven" + (f"; {trouble} niet overgenomen (zie hierboven)" if trouble else ""))
    return EXIT_CONTENT if trouble else EXIT_OK


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


def spreadsheet_kind(path: str | Path) -> str | None:
    """"een Excel-bestand" or "een OpenDocument-rekenblad (.ods)" when ``path`` is a spreadsheet
    (by name or by its first bytes), else None."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".ods", ".fods"):
        return "een OpenDocument-rekenblad (.ods)"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return "een Excel-bestand"
    if not p.is_file():  # a pipe or a device: never opened here (check refuses it plainly)
        return None
    try:
        with open(p, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return None
    from tui.storage import spreadsheet_kind as kind_of

    return kind_of(head)


def _spreadsheet_hint(path: str, kind: str) -> str:
    if "OpenDocument" in kind:
        return f"sla het op als Excel-werkmap (.xlsx) en lees wijzigingen daaruit in met `publieksdata import WERKBOEK {Path(path).with_suffix('.xlsx').name}`"
    return f"wijzigingen uit een export lees je in met `publieksdata import WERKBOEK {path}`"


def cmd_check(path: str) -> int:
    import dataclasses

    from tui import storage
    from tui.model.locate import line_index, parse_path, place
    from tui.model.problems import FOUT
    from tui.model.rules import workbook_notices

    kind = spreadsheet_kind(path)
    if kind:
        print(f"{path}: dit is {kind}, geen werkboek (.toml); {_spreadsheet_hint(path, kind)}", file=sys.stderr)
        return EXIT_PARSE

    wb, problems = storage.check(path)
    for prob in problems:
        print(prob.format(path))
    if wb is None:
        return EXIT_PARSE
    errors = [p for p in problems if p.severity == FOUT]
    # warnings and hints too (also beside errors: a late breach report is worth knowing about
    # either way), each with its line and column
    index = line_index(wb.text)
    for notice in workbook_notices(wb.data):
        line, col = place(wb.text, index, parse_path(notice.path))
        print(dataclasses.replace(notice, line=line, col=col).format(path))
    if errors:
        print(f"{path}: {len(errors)} {'probleem' if len(errors) == 1 else 'problemen'} gevonden", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def cmd_merge(base: str, ours: str, theirs: str, name: str, ours_label: str, theirs_label: str) -> int:
    """Git merge driver: exit 0 merged, 1 conflicts (recorded in the workbook), 2 nothing merged."""
    from tui import gitsetup, merge, storage

    shown = name or ours
    labels = gitsetup.merge_labels()
    ours_label = ours_label or labels[0]
    theirs_label = theirs_label or labels[1]
    try:
        result = merge.merge_files(base, ours, theirs, ours_label=ours_label, theirs_label=theirs_label)
    except merge.MergeInputError as exc:
        side = {"basis": "de gezamenlijke basisversie", "ons": "de eigen versie", "hun": "de andere versie"}[exc.side]
        for prob in exc.error.problems:
            print(prob.format(str(exc.error.path)), file=sys.stderr)
        print(f"{shown}: {side} is geen leesbaar werkboek; er is niets samengevoegd (los dit met de hand op)", file=sys.stderr)
        return EXIT_PARSE
    except storage.SaveError as exc:
        print(f"{shown}: {exc}; er is niets samengevoegd", file=sys.stderr)
        return EXIT_PARSE
    for c in result.conflicts:
        print(f"{shown}: samenvoegconflict bij {c.pad}: de eigen waarde ({ours_label}) blijft staan; vastgelegd in [[conflicten]]", file=sys.stderr)
    if result.conflicts:
        n = len(result.conflicts)
        print(f"{shown}: {n} {'conflict' if n == 1 else 'conflicten'}; kies in de app (Werkboek: conflicten oplossen) of met de hand, en controleer met publieksdata check", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def cmd_git_setup(paths: list[str]) -> int:
    from tui import gitsetup

    try:
        changes = gitsetup.setup(Path.cwd(), paths)
    except gitsetup.GitSetupError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_CONTENT
    for line in changes:
        print(line)
    if not changes:
        print("Alles stond al goed; er is niets veranderd.")
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
    try:
        return _main(argv)
    except BrokenPipeError:  # `publieksdata check w.toml | head`: the reader has had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141  # as any program stopped by a closed pipe (128 + SIGPIPE)


def _main(argv: list[str] | None = None) -> int:
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
    if args.command == "export":
        return cmd_export(args.path, args.output, args.sheets, args.mode, args.strict)
    if args.command == "import":
        return cmd_import(args.path, args.xlsx, args.apply)
    if args.command == "merge":
        return cmd_merge(args.base, args.ours, args.theirs, args.name, args.ons_label, args.hun_label)
    if args.command == "git-setup":
        return cmd_git_setup(args.paths)
    if args.command == "serve":
        from tui.serve import serve

        return serve(Path(args.path), args.host, args.port, args.public, font_size=args.font_size)
    return cmd_open(args.path)


if __name__ == "__main__":
    raise SystemExit(main())
