"""The command line: `rulekit validate | evaluate | explain | due | test | schema | batch` (DESIGN.md §6).

Exit codes: 0 fine; 1 a test failed or --fail-on found what it names; 2 usage error; 3 invalid spec or
input. Only argparse is imported up front, so `rulekit --version` stays fast."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3, 70


STDIN_HELP = ("or - for standard input (one case or portfolio, YAML/JSON; a portfolio's `cases:` file is then found "
              "relative to the current folder)")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rulekit", description="Rules-as-code for framework agreements.")
    p.add_argument("--version", action="version", version=f"rulekit {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    v = sub.add_parser("validate", help="check contract specs and rule libraries")
    v.add_argument("paths", nargs="*", help="files or folders (default: contracts/ rules/)")
    v.add_argument("--format", choices=["text", "json"], default="text")

    for name, helptext in (("evaluate", "evaluate cases or portfolios"), ("explain", "explain a result")):
        e = sub.add_parser(name, help=helptext)
        e.add_argument("contract", help="the contract spec (YAML)")
        e.add_argument("inputs", nargs="+" if name == "evaluate" else 1, metavar="INPUT",
                       help=("case or portfolio files (YAML/JSON), or JSON Lines, " if name == "evaluate" else
                             "a case or portfolio file (YAML/JSON), or JSON Lines (with --case), ") + STDIN_HELP)
        e.add_argument("--as-of", help="evaluation date, YYYY-MM-DD (overrides the file's)")
        e.add_argument("--lang", choices=["da", "en"], default="da")
        e.add_argument("--assume", action="append", default=[], metavar="ID=READING",
                       help="switch an assumption's reading (repeatable)")
        if name == "evaluate":
            e.add_argument("--format", choices=["text", "json"], default="json")
            e.add_argument("--fail-on", choices=["breach", "penalty"])
            e.add_argument("--trace", action="store_true", help="include the trace of every figure")
            e.add_argument("--detail", choices=["full", "summary"], default="full",
                           help="summary: applicable entries only, rules by id; a portfolio keeps only a digest "
                                "of each case (for very large portfolios)")
        else:
            e.add_argument("--format", choices=["text", "json", "html"], default="text")
            e.add_argument("--rule", help="explain only this rule")
            e.add_argument("--instance", help="explain only this instance (the trigger's id, or 'N: date')")
            e.add_argument("--case", help="in a portfolio: the case to explain")
            e.add_argument("--period", help="for a settlement: only this period (e.g. 2024-Q1)")
            e.add_argument("--detail", action="store_true", help="also show the raw expressions and identifiers")

    d = sub.add_parser("due", help="open obligation instances, soonest due first")
    d.add_argument("contract", help="the contract spec (YAML)")
    d.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="case or portfolio files (YAML/JSON), or JSON Lines, " + STDIN_HELP)
    d.add_argument("--as-of", help="evaluation date, YYYY-MM-DD (overrides each case's)")
    d.add_argument("--within", nargs="+", action=_Within, metavar="N [working_days|days]",
                   help="only what is due within N working days (or N days); overdue items always count")
    d.add_argument("--format", choices=["text", "json"], default="text")
    d.add_argument("--lang", choices=["da", "en"], default="da")
    d.add_argument("--assume", action="append", default=[], metavar="ID=READING")

    b = sub.add_parser("batch", help="stream JSON Lines cases through a contract")
    b.add_argument("contract")
    b.add_argument("input", help="cases as JSON Lines: a file, a named pipe, or - for standard input")
    b.add_argument("-o", "--output", help="output JSON Lines file (default: standard output)")
    b.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    b.add_argument("--as-of", help="evaluation date, YYYY-MM-DD (overrides each case's)")
    b.add_argument("--assume", action="append", default=[], metavar="ID=READING")
    b.add_argument("--lang", choices=["da", "en"], default="da")
    b.add_argument("--trace", action="store_true", help="include traces (slower, larger; implies full detail)")
    b.add_argument("--detail", choices=["summary", "full"], default="summary",
                   help="summary (default): a header record with the rules, then applicable entries only, "
                        "rules by id; full: every result as `rulekit evaluate --format json` prints it")
    b.add_argument("--summary", metavar="FILE", help="also write the closing summary as JSON")
    b.add_argument("--no-progress", action="store_true")

    t = sub.add_parser("test", help="run the tests embedded in specs")
    t.add_argument("paths", nargs="*", help="files or folders (default: contracts/)")
    t.add_argument("--junit", metavar="FILE", help="also write JUnit XML")
    t.add_argument("--format", choices=["text", "json"], default="text")
    t.add_argument("--require-coverage", action="store_true", help="fail if a rule is untouched by tests")

    s = sub.add_parser("schema", help="print a JSON Schema")
    s.add_argument("which", choices=["contract", "case", "result"])
    s.add_argument("contract", nargs="?", help="for `case`: the contract whose inputs define it")

    from .documents import add_parsers

    add_parsers(sub)
    return p


class _Within(argparse.Action):
    """`--within N [UNIT]`: the words after N that are not a unit are input files, not dropped."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        words = list(values) if isinstance(values, list) else [str(values)]
        unit = len(words) > 1 and (words[1] in ("working_days", "days") or (
            words[1].replace("_", "").isalpha() and not os.path.exists(words[1])))  # a misspelt unit, not a file
        take = 2 if unit else 1
        setattr(namespace, self.dest, words[:take])
        namespace.inputs = [*(getattr(namespace, "inputs", None) or []), *words[take:]]


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return EXIT_USAGE
    from ..errors import RulekitError, UsageError
    from . import commands, documents

    try:
        code: int = getattr(documents if args.command in documents.COMMANDS else commands, args.command)(args)
        return code
    except UsageError as exc:
        _print_errors(exc)
        return EXIT_USAGE
    except RulekitError as exc:
        _print_errors(exc)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("rulekit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except RecursionError:
        print("rulekit: error[E900]: input nested too deeply to process", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:
        print(f"rulekit: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return EXIT_INTERNAL


def _print_errors(exc: Exception) -> None:
    for diag in getattr(exc, "diagnostics", ()):
        print(diag.render(), file=sys.stderr)


def run() -> None:
    sys.exit(main())
