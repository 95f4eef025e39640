"""Reading what the commands are given: spec paths, case and portfolio files (or `-`, standard input),
--assume, --as-of."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError, RulekitError, UsageError
from ..runtime import CaseResult, PortfolioResult, evaluate_case, evaluate_portfolio, read_case
from ..runtime.case import span_locator
from ..runtime.portfolio import CaseError, iter_jsonl
from ..runtime.privacy import safe_id
from ..runtime.stream import at_line
from ..source import Span
from ..spec.model import Contract
from ..spec.yamlsource import MAX_BYTES, Document, load_yaml, parse_yaml

STDIN = "-"  # in place of a case or portfolio file: read one document from standard input
STDIN_NAME = "<stdin>"  # how messages locate it: <stdin>:line:col


def spec_files(paths: list[str], default: tuple[str, ...]) -> list[Path]:
    """YAML files named, or found in the folders named (default folders that do not exist are skipped)."""
    out: list[Path] = []
    for name in paths or list(default):
        path = Path(name)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        elif path.exists():
            out.append(path)
        elif paths:
            raise UsageError.one("E020", f"{name}: no such file or folder", hint="check the path")
    return out


def parse_assume(values: list[str]) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, reading = value.partition("=")
        if not sep or not key or not reading:
            raise UsageError.one("E021", f"--assume {value!r} is not ID=READING",
                                 hint="e.g. --assume payment_rollforward=arbejdsdag")
        out[key.strip()] = reading.strip()
    return out


def parse_as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError.one("E022", f"--as-of {value!r} is not a valid date",
                             hint="write YYYY-MM-DD, e.g. 2021-10-01") from None


@dataclass
class Settings:
    assume: dict[str, str]
    as_of: dt.date | None
    lang: str
    trace: bool
    keep_cases: bool = True  # False: a portfolio keeps digests of its cases, not whole results


Outcome = CaseResult | PortfolioResult | CaseError


def evaluate_inputs(contract: Contract, names: list[str], settings: Settings) -> Iterator[Outcome]:
    """Results for every input file: a case, a portfolio, or each line of a JSON Lines file."""
    if names.count(STDIN) > 1:
        raise UsageError.one("E020", "- (standard input) is named more than once; it can be read only once",
                             hint="name - once; give the other inputs as files (a file called - as ./-)")
    for name in names:
        path = Path(name)
        if name != STDIN and path.suffix == ".jsonl":
            yield from _jsonl(contract, path, settings)
            continue
        doc, base = (load_stdin(), None) if name == STDIN else (load_yaml(path, kind="input"), path.parent)
        if isinstance(doc.data, dict) and "portfolio" in doc.data:
            yield evaluate_portfolio(contract, doc.data, base=base, assume=settings.assume,
                                     as_of=settings.as_of, trace=settings.trace, lang=settings.lang,
                                     locate=span_locator(doc), keep_cases=settings.keep_cases)
            continue
        case = read_case(doc.data, contract, as_of=settings.as_of, locate=span_locator(doc))
        yield evaluate_case(contract, case, assume=settings.assume, trace=settings.trace, lang=settings.lang)


def _jsonl(contract: Contract, path: Path, settings: Settings) -> Iterator[Outcome]:
    if not path.exists():
        raise InputError.one("E001", f"cannot read {path}: no such file", hint="check the path")
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as handle:
        for line, data, err in iter_jsonl(handle):
            if err is not None:
                yield CaseError(None, at_line(err, str(path), line), line)
                continue
            try:
                case = read_case(data, contract, as_of=settings.as_of)
                yield evaluate_case(contract, case, assume=settings.assume, trace=settings.trace,
                                    lang=settings.lang)
            except RulekitError as exc:
                case_id = data.get("case") if isinstance(data, dict) else None
                yield CaseError(safe_id(case_id), at_line(exc, str(path), line), line)


def _terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or closed: not a terminal to talk to
        return False


def load_stdin() -> Document:
    """One case or portfolio document (YAML or JSON) from standard input, checked as a file is (size, UTF-8,
    YAML), with every message located as <stdin>:line:col. Empty input is an error of its own."""
    name, start = STDIN_NAME, Span(STDIN_NAME, 1, 1)
    stream = sys.stdin
    if stream is None:  # started with standard input closed
        raise InputError.one("E001", "cannot read standard input: it is closed", span=start,
                             hint="pipe a case in (… - < case.yaml), or name the file instead of -")
    if _terminal(stream):  # typed at a terminal: say how to end, or the wait looks like a hang
        print("reading one case (YAML or JSON) from the terminal; end it with Ctrl-D (Ctrl-Z Enter on Windows)",
              file=sys.stderr)
    try:
        buffer = getattr(stream, "buffer", None)
        raw = buffer.read(MAX_BYTES + 1) if buffer is not None else stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError.one("E001", f"cannot read standard input: {exc.strerror}", span=start,
                             hint="pipe a case in (… - < case.yaml), or name the file instead of -") from None
    if len(raw) > MAX_BYTES:
        raise InputError.one("E002", f"standard input holds more than the limit of {MAX_BYTES:,} bytes",
                             span=start,
                             hint="split it, or stream JSON Lines through `rulekit batch CONTRACT -`")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InputError.one("E003", f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start})",
                             span=start, hint="send UTF-8 text") from None
    if not text.lstrip("\ufeff").strip():
        raise InputError.one("E004", "standard input is empty: no case was given", span=start,
                             hint="pipe a case (YAML or JSON) in: … - < case.yaml")
    try:
        return parse_yaml(text, name, InputError)
    except InputError as exc:
        if _looks_like_json_lines(text):  # several JSON objects, one a line: that is batch's input
            hint = "- takes one case or portfolio; for JSON Lines use `rulekit batch CONTRACT -`"
            raise InputError([replace(d, hint=hint) for d in exc.diagnostics]) from None
        raise


def _looks_like_json_lines(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines[:2])
