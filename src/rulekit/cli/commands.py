"""One small function per command. Each returns the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import RulekitError
from ..runtime import CaseResult, PortfolioResult
from ..runtime.portfolio import CaseDigest, CaseError
from ..spec import load_contract
from . import EXIT_FOUND, EXIT_INVALID, EXIT_OK
from .due import due as due  # the `due` command
from .inputs import Settings, evaluate_inputs, parse_as_of, parse_assume, spec_files
from .report import print_summary


def validate(args: argparse.Namespace) -> int:
    files = spec_files(args.paths, ("contracts", "rules"))
    report: list[dict[str, Any]] = []
    for path in files:
        try:
            contract = load_contract(path)
            entry: dict[str, Any] = {"file": str(path), "ok": True, "rules": len(contract.rules),
                                     "tests": len(contract.tests),
                                     "warnings": [d.as_dict() for d in contract.warnings]}
        except RulekitError as exc:
            entry = {"file": str(path), "ok": False, "diagnostics": [d.as_dict() for d in exc.diagnostics]}
            if args.format == "text":
                print(f"INVALID {path} ({len(exc.diagnostics)} problem{'s' if len(exc.diagnostics) > 1 else ''})",
                      flush=True)
                for diag in exc.diagnostics:
                    print(diag.render(), file=sys.stderr, flush=True)
        report.append(entry)
        if args.format == "text" and entry["ok"]:
            warned = f", {len(contract.warnings)} warnings" if contract.warnings else ""
            print(f"ok      {path} ({entry['rules']} rules, {entry['tests']} tests{warned})", flush=True)
            for diag in contract.warnings:
                print(diag.render(), file=sys.stderr, flush=True)
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif not files:
        print("no spec files found")
    return EXIT_OK if all(e["ok"] for e in report) else EXIT_INVALID


def _settings(args: argparse.Namespace, trace: bool) -> Settings:
    keep = getattr(args, "detail", "full") != "summary"
    return Settings(parse_assume(args.assume), parse_as_of(args.as_of), args.lang, trace and keep, keep_cases=keep)


def evaluate(args: argparse.Namespace) -> int:
    contract = load_contract(args.contract)
    outcomes = list(evaluate_inputs(contract, args.inputs, _settings(args, args.trace or args.format == "text")))
    if args.format == "json":
        brief = args.detail == "summary"
        docs = [o.summary_json() if brief and isinstance(o, CaseResult) else o.to_json(trace=args.trace)
                for o in outcomes]
        print(json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False))
    else:
        for outcome in outcomes:
            print_summary(outcome, args.lang)
    code = EXIT_OK
    if any(isinstance(o, CaseError) or (isinstance(o, PortfolioResult) and o.errors) for o in outcomes):
        code = EXIT_INVALID
    if args.fail_on and _found(outcomes, args.fail_on):
        code = code or EXIT_FOUND
    return code


def _found(outcomes: list[Any], what: str) -> bool:
    digests: list[CaseDigest] = []
    for o in outcomes:
        if isinstance(o, PortfolioResult):
            digests.extend(o.every_digest)  # the portfolio's own rules' breaches and penalties count too
        elif isinstance(o, CaseResult):
            digests.append(CaseDigest.of(o))
    if what == "penalty":
        return any(d.penalties > 0 for d in digests)
    return any(status == "breached" for d in digests for _, status in d.statuses)


def explain(args: argparse.Namespace) -> int:
    from ..explain.data import explanation_json
    from ..explain.report import case_report
    from ..explain.text import render_text

    contract = load_contract(args.contract)
    spec = contract.portfolio
    figures = {f.id for f in (*spec.values, *spec.statistics, *spec.settlements, *spec.checks)}
    if args.rule and contract.rule(args.rule) is None and args.rule not in figures:
        from ..diagnostics import did_you_mean
        from ..errors import UsageError
        raise UsageError.one("E023", f"contract '{contract.id}' has no rule '{args.rule}'",
                             hint=did_you_mean(args.rule, [*(r.id for r in (*contract.rules, *spec.rules)),
                                                           *figures]))
    outcomes = list(evaluate_inputs(contract, args.inputs, _settings(args, True)))
    outcome = _one_outcome(outcomes, args.case)
    duties = {r.id for r in spec.rules}  # the portfolio's own rules: explained from its own result
    if isinstance(outcome, PortfolioResult) and args.case is None and (args.rule in figures or
                                                                        (args.rule is None and figures)):
        return _explain_figures(outcome, args)
    if isinstance(outcome, PortfolioResult) and args.case is None and outcome.duties is not None and (
            args.rule in duties or args.rule is None):
        result = outcome.duties
    else:
        result = _pick_case(outcome, args.case)
        if args.rule in duties or args.rule in figures:  # judged once per portfolio, not in a case
            from ..errors import UsageError
            raise UsageError.one("E023", f"'{args.rule}' belongs to the portfolio as a whole, not to case "
                                 f"'{result.case}'", hint="explain it on a portfolio file, without --case")
    _check_instance(result, args.rule, args.instance)
    if args.format == "json":
        print(json.dumps(explanation_json(result, args.rule, args.instance, args.detail), indent=2,
                         ensure_ascii=False))
    elif args.format == "html":
        sys.stdout.write(case_report(result, args.rule, args.instance, args.detail))
    else:
        sys.stdout.write(render_text(result, args.rule, args.instance, args.detail))
    return EXIT_OK


def _check_instance(result: CaseResult, rule: str | None, instance: str | None) -> None:
    """`--instance I` must name an instance the case has (of `--rule`, when given)."""
    if instance is None:
        return
    labels = sorted({n.instance for n in result.trace if n.instance and rule in (None, n.rule)})
    if instance not in labels:
        from ..errors import UsageError
        raise UsageError.one("E025", f"no instance '{instance}'" + (f" of rule '{rule}'" if rule else ""),
                             hint="instances: " + (", ".join(labels[:20]) or "none"))


def _explain_figures(outcome: PortfolioResult, args: argparse.Namespace) -> int:
    from ..explain.data import lines_json
    from ..explain.figures import figure_lines
    from ..explain.text import draw

    lines = figure_lines(outcome, args.rule, args.period, args.detail)
    if args.format == "json":
        print(json.dumps({"portfolio": outcome.portfolio, "lang": outcome.lang, "tree": lines_json(lines)},
                         indent=2, ensure_ascii=False))
    elif args.format == "html":
        from ..explain.report import portfolio_report

        sys.stdout.write(portfolio_report(outcome, args.detail))
    else:
        sys.stdout.write(draw(lines, outcome.portfolio, outcome.lang))
    return EXIT_OK


def _one_outcome(outcomes: list[Any], case_id: str | None) -> Any:
    """The one thing to explain: a case, a portfolio, or (from JSON Lines) the case named by --case."""
    from ..errors import UsageError

    if len(outcomes) == 1:
        return outcomes[0]
    ids = [o.case for o in outcomes if isinstance(o, CaseResult | CaseError)]
    for outcome in outcomes:
        if isinstance(outcome, CaseResult | CaseError) and case_id is not None and outcome.case == case_id:
            return outcome
    raise UsageError.one("E024", f"the input holds {len(outcomes)} cases: name the one to explain",
                         hint="add --case ID (one of: " + ", ".join(str(i) for i in ids[:8]) + ")")


def _pick_case(outcome: Any, case_id: str | None) -> CaseResult:
    from ..errors import UsageError

    if isinstance(outcome, CaseResult):
        return outcome
    if isinstance(outcome, CaseError):
        raise outcome.error
    results: list[CaseResult] = outcome.results
    if case_id is None:
        if len(results) == 1:
            return results[0]
        raise UsageError.one("E024", "the input is a portfolio: name the case to explain",
                             hint="add --case ID (one of: " + ", ".join(r.case for r in results[:8]) + ")")
    for result in results:
        if result.case == case_id:
            return result
    raise UsageError.one("E024", f"no case '{case_id}' in the portfolio")


def test(args: argparse.Namespace) -> int:
    from ..testing import coverage, run_tests
    from ..testing.junit import write_junit
    from .report import print_tests

    files = spec_files(args.paths, ("contracts",))
    suites, failed, invalid, uncovered, report = [], 0, 0, 0, []
    for path in files:
        try:
            contract = load_contract(path)
        except RulekitError as exc:
            invalid += 1
            for diag in exc.diagnostics:
                print(diag.render(), file=sys.stderr)
            continue
        if contract.is_library:
            continue
        outcomes = run_tests(contract)
        cov = coverage(contract, outcomes)
        suites.append((contract.id, outcomes))
        failed += sum(1 for o in outcomes if not o.passed)
        uncovered += len(cov.untouched)
        report.append(print_tests(path, contract, outcomes, cov, args.format))
    if args.format == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.junit:
        write_junit(Path(args.junit), suites)
    total = sum(len(o) for _, o in suites)
    if args.format == "text":
        print(f"{total - failed} passed, {failed} failed")
    if invalid:
        return EXIT_INVALID
    if failed or (args.require_coverage and uncovered):
        return EXIT_FOUND
    return EXIT_OK


def schema(args: argparse.Namespace) -> int:
    from ..spec.schema import load_schema

    if args.which == "case":
        from ..errors import UsageError
        from ..spec.caseschema import case_schema

        if not args.contract:
            raise UsageError.one("E028", "`rulekit schema case` needs the contract",
                                 hint="rulekit schema case contracts/kobenhavn.yaml")
        doc = case_schema(load_contract(args.contract))
    else:
        doc = load_schema(args.which)
    print(json.dumps(doc, indent=1, ensure_ascii=False))
    return EXIT_OK


def batch(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..runtime.stream import CaseEvaluator
    from .batch import finish_output, open_output, run_batch

    if args.workers < 1 or args.workers > 64:
        raise UsageError.one("E026", f"--workers {args.workers} is out of range", hint="use 1 to 64")
    source = None if args.input == "-" else Path(args.input)  # `-`: standard input
    if source is not None and not source.exists():
        raise UsageError.one("E020", f"{args.input}: no such file",
                             hint="give a JSON Lines file of cases, or - to read standard input")
    if source is not None and source.is_dir():
        raise UsageError.one("E020", f"{args.input} is a folder", hint="give a JSON Lines file of cases")
    evaluator = CaseEvaluator(str(args.contract), tuple(sorted(parse_assume(args.assume).items())),
                              parse_as_of(args.as_of), args.lang, args.trace, detail=args.detail)
    evaluator = evaluator.check()
    handle, part = open_output(args.output)
    ok = False
    try:
        progress = sys.stderr.isatty() and not args.no_progress
        summary = run_batch(evaluator, source, handle, args.workers, progress)
        ok = True
    finally:
        finish_output(handle, part, args.output, ok)
    text = json.dumps(summary.as_dict(), ensure_ascii=False)
    print(text, file=sys.stderr)
    if args.summary:
        Path(args.summary).write_text(text + "\n", encoding="utf-8")
    return EXIT_OK if summary.errors == 0 else EXIT_INVALID
