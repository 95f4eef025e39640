"""Browser tests need Chromium: skipped with a reason when it is missing, except under CI (CI=true), where a
missing browser is a failure (.ci/run installs the Debian package `chromium`)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from cdp import Browser, find_chromium


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    binary = find_chromium()
    if binary is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("chromium is not installed, and CI must run the browser tests (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped outside CI")
    session = Browser(binary)
    try:
        yield session
    finally:
        session.close()
