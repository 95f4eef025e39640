"""An interrupted run (SIGINT after it has started writing) leaves neither the final output file nor a
.part file, with one worker and with two; no worker process outlives the command. The input comes through a
named pipe that stays open, so the run cannot finish before the interrupt, however fast it has become."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from batch_support import CONTRACT, ROOT, generate


@pytest.fixture(scope="module")
def lines() -> str:
    """2,000 input lines: enough for the workers to write output, never the end of the input (the test feeds
    them through a pipe it keeps open, so the run is still going when it is interrupted, however fast it is)."""
    return "".join(generate.dumps(c) + "\n" for c in generate.cases("kobenhavn", 500, seed=5)) * 4


class _Feeder(threading.Thread):
    """Writes the lines into the named pipe and keeps it open until told to close it."""

    def __init__(self, fifo: Path, text: str) -> None:
        super().__init__(daemon=True)
        self.fifo, self.text, self.done = fifo, text, threading.Event()

    def run(self) -> None:
        with self.fifo.open("w", encoding="utf-8") as handle:  # waits for rulekit to open it
            try:
                handle.write(self.text)
                handle.flush()
            except BrokenPipeError:  # rulekit stopped reading: it was interrupted
                return
            self.done.wait(120)


def _wait_for_output(part: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"rulekit batch ended before it was interrupted (exit {proc.returncode}): "
                        f"{proc.stderr.read() if proc.stderr else ''}")
        if part.exists() and part.stat().st_size > 0:
            return
        time.sleep(0.05)
    pytest.fail(f"{part} did not appear within {timeout} s")


def _group_gone(pgid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize(("workers", "target"), [(1, "process"), (2, "group")],
                         ids=["1-worker-kill-INT-pid", "2-workers-ctrl-c-group"])
def test_interrupt_leaves_no_output(lines: str, tmp_path: Path, workers: int, target: str) -> None:
    work = tmp_path / "out"
    work.mkdir()
    fifo = tmp_path / "cases.jsonl"
    os.mkfifo(fifo)
    feeder = _Feeder(fifo, lines)
    feeder.start()
    out = work / "out.jsonl"
    part = Path(str(out) + ".part")
    # a shell starts a background job with SIGINT ignored, and a child inherits that (then Python installs no
    # handler of its own): with a handler here, the child starts with the default, as from a terminal
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rulekit", "batch", CONTRACT, str(fifo), "-o", str(out), "--no-progress",
             "--detail", "full", "--workers", str(workers)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        _wait_for_output(part, proc)
        if target == "group":  # what Ctrl-C in a terminal does: the whole foreground process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        feeder.done.set()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, f"exit {proc.returncode}: {stderr[-2000:]}"
    assert "interrupted" in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert not out.exists(), "an interrupted run left the final output file"
    assert not part.exists(), f"an interrupted run left {part.name} behind"
    assert list(work.iterdir()) == []
    assert _group_gone(proc.pid), "worker processes outlived the interrupted command"
