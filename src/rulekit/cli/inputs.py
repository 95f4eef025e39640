"""Reading what the commands are given: spec paths, case and portfolio files, --assume, --as-of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, RulekitError, UsageError
from ..runtime import CaseResult, PortfolioResult, evaluate_case, evaluate_portfolio, read_case
from ..runtime.case import span_locator
from ..runtime.portfolio import CaseError, iter_jsonl
from ..runtime.privacy import safe_id
from ..runtime.stream import at_line
from ..spec.model import Contract
from ..spec.yamlsource import load_yaml


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
    for name in names:
        path = Path(name)
        if path.suffix == ".jsonl":
            yield from _jsonl(contract, path, settings)
            continue
        doc = load_yaml(path, kind="input")
        if isinstance(doc.data, dict) and "portfolio" in doc.data:
            yield evaluate_portfolio(contract, doc.data, base=path.parent, assume=settings.assume,
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
