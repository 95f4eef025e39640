"""Support for the batch tests: paths, the synthetic case generator, and running `rulekit batch`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = "contracts/kobenhavn.yaml"  # relative to ROOT: every run below uses cwd=ROOT
EXAMPLES = ROOT / "examples" / "kobenhavn"
RULEKIT = [sys.executable, "-m", "rulekit"]

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402


def write_cases(path: Path, n: int, seed: int = 1, corrupt_line: int | None = None) -> Path:
    generate.write(path, "kobenhavn", n, seed, corrupt_line)
    return path


def rulekit(*args: str, check: bool = False, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the CLI. `batch` runs with `--detail full` (whole results, one line per case) unless the test
    names a detail: most tests here compare batch records with `rulekit evaluate`."""
    if args and args[0] == "batch" and "--detail" not in args:
        args = (*args, "--detail", "full")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run([*RULEKIT, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"rulekit {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return proc


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Output records (amounts in results are strings, so no float ever appears)."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line, parse_float=Decimal) for line in f]


def closing_summary(stderr: str) -> dict[str, Any]:
    """The summary JSON that `rulekit batch` prints last on standard error."""
    line = stderr.strip().splitlines()[-1]
    summary: dict[str, Any] = json.loads(line)
    return summary


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as readable paths (for assertion messages)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            if key not in a or key not in b:
                out.append(f"{path}/{key}: only in {'first' if key in a else 'second'} "
                           f"({a.get(key, b.get(key))!r:.200})")
            else:
                out.extend(differences(a[key], b[key], f"{path}/{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r:.200} vs {b!r:.200}"]
