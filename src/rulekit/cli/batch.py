"""`rulekit batch`: stream JSON Lines cases through a contract, in input order, with constant memory.

Every non-blank input line yields exactly one output line (a result or an error record). The output file is
written as FILE.part and renamed only when the run completes; an interrupted run leaves no file
that looks complete. Workers are processes, each with its own compiled contract."""

from __future__ import annotations

import gc
import io
import json
import os
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

import orjson

from ..runtime.portfolio import CaseError, iter_jsonl
from ..runtime.stream import CaseEvaluator, Summary, at_line

CHUNK = 500


def run_batch(evaluator: CaseEvaluator, source: Path | None, out: IO[str], workers: int,
              progress: bool) -> Summary:
    """Evaluate the cases of `source` (None: standard input) into `out`, in input order."""
    summary = Summary(currency=evaluator.contract.currency)
    started = time.perf_counter()
    if evaluator.detail == "summary":
        out.write(json.dumps(evaluator.header(), ensure_ascii=False) + "\n")
    with _input(source) as handle:
        for text, part in _evaluate(evaluator, _blocks(handle), workers, str(source or "<stdin>")):
            out.write(text)
            summary.merge(part)
            if progress:
                _progress(summary, started)
    if progress:
        sys.stderr.write("\n")
    return summary


def _input(source: Path | None) -> IO[str]:
    """The input as text (a byte-order mark skipped, bytes that are not UTF-8 kept for the error record): a file,
    a named pipe, or standard input."""
    if source is None:
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape")
    return source.open(encoding="utf-8-sig", errors="surrogateescape")


Block = tuple[int, str]  # the number of its first line, and CHUNK lines of the input as one text


def _blocks(handle: IO[str]) -> Iterator[Block]:
    """The input in blocks of CHUNK lines, each one text: the parent only cuts the file; the workers parse,
    evaluate and encode, so the parent's work per case is small and the workers have the cores."""
    first = 1
    while lines := list(islice(handle, CHUNK)):
        yield first, "".join(lines)
        first += len(lines)


def _evaluate(evaluator: CaseEvaluator, blocks: Iterator[Block], workers: int,
              name: str) -> Iterator[tuple[str, Summary]]:
    # the compiled contract lives as long as the run: keep it out of the cyclic GC's way (and, in forked
    # workers, its pages unwritten)
    gc.collect()
    gc.freeze()
    if workers <= 1:
        for first, block in blocks:
            yield evaluate_block(evaluator, first, block, name)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        pending: list[Any] = []
        for first, block in blocks:
            pending.append(pool.submit(evaluate_block, evaluator, first, block, name))
            if len(pending) >= workers * 2:  # bounded look-ahead keeps memory flat
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def evaluate_block(evaluator: CaseEvaluator, first: int, block: str, name: str = "<input>") -> tuple[str, Summary]:
    """Parse, evaluate and serialise one block of input lines (newlines already made "\\n" by the reader);
    runs in a worker process. Returns the output lines as one text and the block's counts and totals.
    Errors carry the file and line."""
    out: list[str] = []
    part = Summary(currency=evaluator.contract.currency)
    for line, data, err in parse_lines(enumerate(block.split("\n"), start=first)):
        if err is not None:
            record = CaseError(None, at_line(err, name, line), line).to_json()
        else:
            record = evaluator(data, line, name)
            record.setdefault("line", line)
        out.append(encode(record))
        part.add(record)
    return "".join(out), part


def encode(record: dict[str, Any]) -> str:
    """One output line. orjson: about 6× faster than json.dumps on these records (bench in
    benchmarks/README.md), same text for everything a result holds (strings, numbers, lists, mappings)."""
    return orjson.dumps(record, default=_json_default, option=_ORJSON).decode()


_ORJSON = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def parse_lines(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, Any, Any]]:
    for line, text in lines:
        for _, data, err in iter_jsonl([text]):
            if err is not None:
                err = type(err)([replace(d, message=d.message.replace("line 1:", f"line {line}:"))
                                 for d in err.diagnostics])
            yield line, data, err


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and discards the partial output."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
