"""Shared test settings. Under CI (CI=true), Hypothesis runs derandomized, so a submission's CI run is
reproducible: the property tests explore the same examples every time. Locally they explore anew."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
