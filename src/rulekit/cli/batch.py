"""`rulekit batch`: stream JSON Lines cases through a contract, in input order, with constant memory.

Every input line yields exactly one output line (a result or an error record). The output file is
written as FILE.part and renamed only when the run completes; an interrupted run leaves no file
that looks complete. Workers are processes, each with its own compiled contract."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from ..runtime.portfolio import iter_jsonl
from ..runtime.stream import CaseEvaluator, Summary

CHUNK = 500


def run_batch(evaluator: CaseEvaluator, source: Path, out: IO[str], workers: int,
              progress: bool) -> Summary:
    summary = Summary()
    started = time.perf_counter()
    with source.open(encoding="utf-8") as handle:
        chunks = _chunks(handle)
        for records in _evaluate(evaluator, chunks, workers):
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
                summary.add(record)
            if progress:
                _progress(summary, started)
    if progress:
        sys.stderr.write("\n")
    return summary


def _chunks(handle: IO[str]) -> Iterator[list[tuple[int, Any, Any]]]:
    lines = ((n, data, err) for n, data, err in iter_jsonl(handle))
    while chunk := list(islice(lines, CHUNK)):
        yield [(n, data, None if err is None else err.diagnostics) for n, data, err in chunk]


def _evaluate(evaluator: CaseEvaluator, chunks: Iterator[list[tuple[int, Any, Any]]],
              workers: int) -> Iterator[list[dict[str, Any]]]:
    if workers <= 1:
        for chunk in chunks:
            yield evaluate_chunk(evaluator, chunk)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: list[Any] = []
        for chunk in chunks:
            pending.append(pool.submit(evaluate_chunk, evaluator, chunk))
            if len(pending) >= workers * 2:  # bounded look-ahead keeps memory flat
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def evaluate_chunk(evaluator: CaseEvaluator, chunk: list[tuple[int, Any, Any]]) -> list[dict[str, Any]]:
    """Evaluate one chunk of (line, case, parse-errors); runs in a worker process."""
    from ..errors import InputError
    from ..runtime.portfolio import CaseError

    out = []
    for line, data, diags in chunk:
        if diags is not None:
            out.append(CaseError(None, InputError(diags), line).to_json())
            continue
        record = evaluator(data, line)
        record.setdefault("line", line)
        out.append(record)
    return out


def _progress(summary: Summary, started: float) -> None:
    rate = summary.lines / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(f"\r{summary.lines:,} cases  {summary.errors:,} errors  {rate:,.0f} cases/s")
    sys.stderr.flush()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def open_output(path: str | None) -> tuple[IO[str], Path | None]:
    if path is None or path == "-":
        return sys.stdout, None
    part = Path(path + ".part")
    return part.open("w", encoding="utf-8"), part


def finish_output(handle: IO[str], part: Path | None, final: str | None, ok: bool) -> None:
    if part is None:
        handle.flush()
        return
    handle.close()
    if ok and final is not None:
        os.replace(part, final)
    else:
        part.unlink(missing_ok=True)
