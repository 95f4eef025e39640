"""A København-style working-day calendar: Mon–Fri except Danish public holidays, 24 Dec, 31 Dec and
5 June (kontrakt pkt. 1); 1 May counts as a working day."""

from __future__ import annotations

import pytest

from rulekit.calendar.workdays import WorkingCalendar, YearlyDay

KBH_CLOSED = (YearlyDay(12, 24, "juleaftensdag", "Christmas Eve"),
              YearlyDay(12, 31, "nytårsaftensdag", "New Year's Eve"),
              YearlyDay(6, 5, "grundlovsdag", "Constitution Day"))


def kobenhavn() -> WorkingCalendar:
    return WorkingCalendar("arbejdsdag", "DK", ("saturday", "sunday"), KBH_CLOSED)


@pytest.fixture(scope="session")
def kbh() -> WorkingCalendar:
    return kobenhavn()


@pytest.fixture
def fresh_kbh() -> WorkingCalendar:
    """A calendar that has not been asked anything yet (its table is empty)."""
    return kobenhavn()
