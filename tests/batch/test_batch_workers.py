"""`--workers 2` writes byte-for-byte the output of `--workers 1` (and the same summary)."""

from __future__ import annotations

from pathlib import Path

from batch_support import CONTRACT, closing_summary, rulekit, write_cases


def test_two_workers_byte_identical_to_one(cases_1500: Path, tmp_path: Path) -> None:
    outputs, summaries = {}, {}
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}.jsonl"
        proc = rulekit("batch", CONTRACT, str(cases_1500), "-o", str(out), "--no-progress", "--workers", str(workers))
        assert proc.returncode == 3, proc.stderr[-2000:]  # the one broken line makes the exit code 3
        outputs[workers] = out.read_bytes()
        summaries[workers] = closing_summary(proc.stderr)
    assert outputs[1].count(b"\n") == 1500
    assert outputs[1] == outputs[2], _first_difference(outputs[1], outputs[2])
    assert summaries[1] == summaries[2]
    assert summaries[1]["errors"] == 1 and summaries[1]["reconciles"]


def test_stdout_matches_output_file(tmp_path: Path) -> None:
    """Without -o the same lines go to standard output."""
    source = write_cases(tmp_path / "cases.jsonl", 300, seed=12, corrupt_line=150)
    out = tmp_path / "out.jsonl"
    to_file = rulekit("batch", CONTRACT, str(source), "-o", str(out), "--no-progress")
    to_stdout = rulekit("batch", CONTRACT, str(source), "--no-progress")
    assert to_file.returncode == to_stdout.returncode == 3
    assert to_stdout.stdout == out.read_text(encoding="utf-8")


def _first_difference(a: bytes, b: bytes) -> str:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), start=1):
        if x != y:
            return f"first difference on output line {number}:\n  1 worker:  {x[:300]!r}\n  2 workers: {y[:300]!r}"
    return f"outputs differ in length: {len(a.splitlines())} vs {len(b.splitlines())} lines"
