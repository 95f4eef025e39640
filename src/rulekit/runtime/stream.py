"""Streams of cases: a picklable evaluator (for process pools, Dask or Spark partitions) and an
iterator that turns case mappings into result or error records, in input order."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..errors import RulekitError, SpecError
from ..spec.model import Contract
from .case import read_case
from .evaluate import evaluate_case, resolve_assumptions
from .portfolio import CaseError
from .privacy import safe_id
from .result import header, rules_header

_PINNED: dict[str, Contract] = {}  # contracts by sha256, for evaluators pinned by check()


@lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int) -> Contract:
    from ..spec import load_contract

    return load_contract(path)


@dataclass(frozen=True)
class CaseEvaluator:
    """`evaluator(case_dict) -> result dict`. Holds only the spec's path and the settings, so it pickles;
    each process loads and compiles the contract once. After `check()`, the evaluator is pinned to the
    spec's sha256: a process that finds a different spec on disk (edited during a run) refuses to use it."""

    contract_path: str
    assume: tuple[tuple[str, str], ...] = ()
    as_of: dt.date | None = None
    lang: str = "da"
    trace: bool = False
    sha256: str | None = None
    detail: str = "full"  # "summary": compact records (result.summary_json), rule metadata in header()

    @property
    def contract(self) -> Contract:
        if self.sha256 is not None and self.sha256 in _PINNED:
            return _PINNED[self.sha256]  # this process (or the one it was forked from) has this version
        stat = os.stat(self.contract_path)
        contract = _load(self.contract_path, stat.st_mtime_ns, stat.st_size)
        if self.sha256 is not None and contract.sha256 != self.sha256:
            raise SpecError.one("E120", f"{self.contract_path} changed while it was being used",
                                hint="run again; do not edit a spec during a batch run")
        return contract

    def check(self) -> CaseEvaluator:
        """Load the contract and the assumptions now (a bad spec fails before any case), and return the
        evaluator pinned to this version of the spec."""
        contract = self.contract
        resolve_assumptions(contract, dict(self.assume))
        _PINNED[contract.sha256] = contract
        return replace(self, sha256=contract.sha256)

    def __call__(self, case: Any, line: int | None = None, name: str | None = None) -> dict[str, Any]:
        contract = self.contract
        try:
            parsed = read_case(case, contract, as_of=self.as_of)
            result = evaluate_case(contract, parsed, assume=dict(self.assume), trace=self.trace, lang=self.lang)
            if self.detail == "summary" and not self.trace:
                return result.summary_json()
            return result.to_json(trace=self.trace)
        except RulekitError as exc:
            case_id = case.get("case") if isinstance(case, dict) else None
            if name is not None and line is not None:
                exc = at_line(exc, name, line)
            return CaseError(safe_id(case_id), exc, line).to_json()


    def header(self) -> dict[str, Any]:
        """The record that opens compact output: engine, spec, readings, and every rule's title, kind,
        source and quote, which the records after it name by rule id only."""
        contract = self.contract
        readings = resolve_assumptions(contract, dict(self.assume))
        head = header(contract, self.as_of or dt.date.today(), readings)
        head.pop("as_of")
        return {"header": True, **head, "detail": self.detail, "lang": self.lang,
                "currency": contract.currency, "rules": rules_header(contract, self.lang)}


def at_line(exc: RulekitError, name: str, line: int) -> RulekitError:
    """The same error, placed at a line of a JSON Lines file where it has no position of its own."""
    from ..source import Span

    return type(exc)([d if d.span else replace(d, span=Span(name, line, 1)) for d in exc.diagnostics])


def evaluate_stream(evaluator: CaseEvaluator, cases: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """One result (or error record) per case, lazily, in order."""
    for case in cases:
        yield evaluator(case)


@dataclass
class Summary:
    """Counts and totals of a batch run; `reconciles` checks them against each other."""

    lines: int = 0
    results: int = 0
    errors: int = 0
    penalties: Decimal = Decimal(0)
    payments: Decimal = Decimal(0)
    breached: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    currency: str = "DKK"

    def add(self, record: dict[str, Any]) -> None:
        self.lines += 1
        if "error" in record:
            self.errors += 1
            for diag in record["error"].get("diagnostics", [])[:1]:
                self.by_code[diag["code"]] = self.by_code.get(diag["code"], 0) + 1
            return
        self.results += 1
        self.penalties += Decimal(record["totals"]["penalties"])
        self.payments += Decimal(record["totals"]["payments"])
        self.breached += sum(1 for o in record["obligations"] if o["status"] == "breached")

    def merge(self, other: Summary) -> None:
        """Add the counts and totals of another part of the same run."""
        self.lines, self.results, self.errors = (self.lines + other.lines, self.results + other.results,
                                                 self.errors + other.errors)
        self.penalties, self.payments = self.penalties + other.penalties, self.payments + other.payments
        self.breached += other.breached
        for code, count in other.by_code.items():
            self.by_code[code] = self.by_code.get(code, 0) + count

    @property
    def reconciles(self) -> bool:
        return self.lines == self.results + self.errors

    def as_dict(self) -> dict[str, Any]:
        return {"summary": True, "lines": self.lines, "results": self.results, "errors": self.errors,
                "errors_by_code": self.by_code, "breached_obligations": self.breached,
                "totals": {"penalties": f"{self.penalties:.2f}", "payments": f"{self.payments:.2f}",
                           "currency": self.currency}, "reconciles": self.reconciles}
