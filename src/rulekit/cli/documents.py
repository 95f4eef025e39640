"""Commands that write documents: `rulekit report` (a case or portfolio as one HTML file) and
`rulekit handbook` (the contract spec as an HTML or Markdown document)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("report", "handbook")


def add_parsers(sub: Any) -> None:
    from . import STDIN_HELP

    r = sub.add_parser("report", help="a self-contained HTML report of a case or a portfolio")
    r.add_argument("contract", help="the contract spec (YAML)")
    r.add_argument("input", metavar="INPUT", help="a case or portfolio file (YAML/JSON), " + STDIN_HELP)
    r.add_argument("-o", "--output", required=True, metavar="FILE.html", help="where to write the report")
    r.add_argument("--as-of", help="evaluation date, YYYY-MM-DD (overrides the file's)")
    r.add_argument("--lang", choices=["da", "en"], default="da")
    r.add_argument("--assume", action="append", default=[], metavar="ID=READING")
    r.add_argument("--case", help="in a portfolio: report only this case")
    r.add_argument("--detail", action="store_true", help="also show the raw expressions")

    h = sub.add_parser("handbook", help="the contract spec as a document (HTML or Markdown)")
    h.add_argument("contract", help="the contract spec (YAML)")
    h.add_argument("-o", "--output", required=True, metavar="FILE.html|FILE.md",
                   help="where to write it; .md writes Markdown, anything else HTML")
    h.add_argument("--lang", choices=["da", "en"], default="da")


def _write(path: str, text: str) -> None:
    from ..errors import UsageError

    target = Path(path)
    if target.parent and not target.parent.exists():
        raise UsageError.one("E020", f"{path}: the folder {target.parent} does not exist", hint="create it first")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError.one("E020", f"cannot write {path}: {exc.strerror}", hint="check the path") from None
    print(f"wrote {path}", file=sys.stderr)


def report(args: argparse.Namespace) -> int:
    from ..explain.report import case_report, portfolio_report
    from ..runtime import CaseResult, PortfolioResult
    from ..runtime.portfolio import CaseError
    from ..spec import load_contract
    from . import EXIT_INVALID, EXIT_OK
    from .commands import _one_outcome, _pick_case
    from .inputs import Settings, evaluate_inputs, parse_as_of, parse_assume

    contract = load_contract(args.contract)
    settings = Settings(parse_assume(args.assume), parse_as_of(args.as_of), args.lang, True)
    outcome = _one_outcome(list(evaluate_inputs(contract, [args.input], settings)), args.case)
    if isinstance(outcome, PortfolioResult) and args.case is None:
        _write(args.output, portfolio_report(outcome, args.detail))
        return EXIT_INVALID if outcome.errors else EXIT_OK
    if isinstance(outcome, CaseError):
        raise outcome.error
    result: CaseResult = _pick_case(outcome, args.case)
    _write(args.output, case_report(result, detail=args.detail))
    return EXIT_OK


def handbook(args: argparse.Namespace) -> int:
    from ..explain.handbook import handbook_html, handbook_markdown
    from ..spec import load_contract
    from . import EXIT_OK

    contract = load_contract(args.contract)
    markdown = Path(args.output).suffix.lower() in (".md", ".markdown")
    text = handbook_markdown(contract, args.lang) if markdown else handbook_html(contract, args.lang)
    _write(args.output, text)
    return EXIT_OK
