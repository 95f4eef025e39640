"""Small helpers shared by the benchmark scripts: where they run, and on what."""

from __future__ import annotations

import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> str:
    """One line: Python, cores, CPU model, and the load average when the run started (other jobs on the
    machine make every figure noisier)."""
    return (f"python {platform.python_version()}, {os.cpu_count()} cores, {cpu_model()}; "
            f"load average {load_average()}")
