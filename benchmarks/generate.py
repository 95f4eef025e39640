"""Seeded synthetic case generator for rulekit benchmarks and batch tests.

    python benchmarks/generate.py kobenhavn -n 100000 --seed 1 -o cases.jsonl
    python benchmarks/generate.py kobenhavn -n 10000 --seed 7 --corrupt-line 5000 -o broken.jsonl

One JSON object per line, in the case-file format of DESIGN.md §4. Amounts are JSON numbers with at
most two decimals (read them with `json.loads(line, parse_float=Decimal)`, as `rulekit batch` does).
The same seed always gives the same file.

København mix (contracts/kobenhavn.yaml):
- course orders (A1-*, A2-*, A4) with order start/end dates across 2020-07 … 2023-06, many of
  them starting just before Easter, Ascension, 5 June or Christmas; booked hours per week mostly in
  the offering's typical range, some outside; durations mostly within the typical duration, some longer;
- weekly follow-ups (2A/2B) with occasional missing ISO weeks; company visits per 4/6-week block
  with occasional missing blocks; company placements with follow-ups at most every 14 days (sometimes
  a gap); the 6/13-week match milestone met, justified in a report, or missed; A4 weekly sessions,
  the psychiatrist session and the schedule handed out at the start (or late);
- hours delivered by the end date, delivered on time, late (over Ascension/Whitsun) or not yet;
- documentation demands (5 working days) and written-account demands (10 working days), some with
  agreed extensions (a few beyond the 10-day cap), delivered on time, late, or not at all;
- complete (and some first incomplete) invoices, a quarter of them sent in late November so that
  the 30-day due date falls over Christmas; payments on time, late, or not yet, one in seven in two
  parts (the first on time or late, the rest later); the interest rate is usually given;
- an as_of date after the course for most cases, inside it for some (events after as_of are dropped:
  a snapshot of what was known that day).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import random
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import holidays

D = dt.date
DAY = dt.timedelta(days=1)
ROOT = Path(__file__).resolve().parents[1]

PERIOD_START, PERIOD_END = D(2020, 7, 1), D(2023, 6, 30)

# offering: (weight, max_duration weeks, hours_min, hours_max, weekly_followup, visit_interval weeks,
#            placement_followup_interval days, match_deadline weeks)
KBH_OFFERINGS: dict[str, tuple[int, int | None, str | None, str | None, bool, int | None, int | None,
                               int | None]] = {
    "A1-1A": (6, 26, "2", "4", False, None, 14, None),
    "A1-1B": (8, 26, "5", "7", False, None, 14, None),
    "A1-1C": (6, 26, "8", "14", False, None, 14, 6),
    "A1-1D": (5, 26, "15", "25", False, None, 14, 6),
    "A1-2A": (6, 12, "0.5", "0.5", True, 6, None, None),
    "A1-2B": (6, 12, "1", "3", True, 4, None, None),
    "A1-3": (5, 12, "5", "10", False, None, None, None),
    "A1-4": (5, 26, "1", "4", False, None, None, None),
    "A1-5": (4, 26, "5", "9", False, None, 14, None),
    "A1-E1": (2, None, "1", None, False, None, None, None),
    "A1-E2": (1, None, "0.5", "0.5", False, None, None, None),
    "A2-1A": (4, 13, "3", "5", False, None, 14, 13),
    "A2-1B": (4, 13, "4", "6", False, None, 14, 6),
    "A2-1C": (4, 13, "7", "15", False, None, 14, 6),
    "A2-2A": (5, 12, "0.5", "0.5", True, 6, None, None),
    "A2-2B": (5, 12, "1", "3", True, 4, None, None),
    "A2-3": (4, 6, "2", "6", False, None, None, None),
    "A2-E2": (1, None, "0.5", "0.5", False, None, None, None),
    "A4": (10, 10, "1", "1", False, None, None, None),
}


_MARK = "\x00dec:"
_MARKED = re.compile(r'"\\u0000dec:(-?[0-9.]+)"')


def _prep(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _MARK + format(value, "f")
    if isinstance(value, dict):
        return {k: _prep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_prep(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def dumps(case: dict[str, Any]) -> str:
    """One case as a JSON Lines line (without the newline). Decimals become exact JSON numbers
    ("24000.50", never a binary float)."""
    return _MARKED.sub(r"\1", json.dumps(_prep(case), ensure_ascii=False, separators=(",", ":")))


def loads(line: str) -> Any:
    return json.loads(line, parse_float=Decimal)


class _Days:
    """Holiday anchors for realistic dates (from the `holidays` package, plus the contract's own days)."""

    def __init__(self) -> None:
        years = range(2019, 2026)
        hol = holidays.country_holidays("DK", years=years)
        self.public = set(hol)
        extra = {D(y, m, d) for y in years for m, d in ((12, 24), (12, 31), (6, 5))}
        self.closed = self.public | extra
        self.anchors = sorted(d for d in self.closed if PERIOD_START <= d <= PERIOD_END + dt.timedelta(days=90)
                              and d.weekday() < 5)

    def near_holiday(self, rng: random.Random, before: int = 10) -> D:
        return rng.choice(self.anchors) - rng.randint(0, before) * DAY

    def is_working(self, day: D) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def add_wd(self, day: D, n: int) -> D:
        while n > 0:
            day += DAY
            if self.is_working(day):
                n -= 1
        return day


class KobenhavnGenerator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        # part payments draw from a stream of their own: the main stream, and so every other choice, stays
        # what it was before they were added
        self.parts = random.Random(seed * 1_000_003 + 17)
        self.seed = seed
        self.days = _Days()
        self.offerings = list(KBH_OFFERINGS)
        self.weights = [v[0] for v in KBH_OFFERINGS.values()]

    # helpers -------------------------------------------------------------------------------------
    def date_between(self, lo: D, hi: D) -> D:
        return lo + self.rng.randint(0, max(0, (hi - lo).days)) * DAY

    def money(self, lo: int, hi: int) -> Decimal:
        rng = self.rng
        whole = rng.randint(lo, hi)
        if rng.random() < 0.5:
            return Decimal(whole)
        return Decimal(whole) + Decimal(rng.randint(0, 99)) / 100

    def office_day(self, day: D) -> D:
        """Letters, demands and invoices are mostly sent on working days; now and then on a weekend."""
        if self.rng.random() < 0.93:
            while not self.days.is_working(day):
                day += DAY
        return day

    def start_date(self) -> D:
        rng = self.rng
        if rng.random() < 0.25:
            day = self.days.near_holiday(rng, 14)
        else:
            day = self.date_between(PERIOD_START, D(2023, 3, 31))
        if rng.random() < 0.6:
            day -= day.weekday() * DAY  # orders usually start on a Monday
        else:
            day = self.office_day(day)
        return max(day, PERIOD_START)

    # pieces ------------------------------------------------------------------------------------
    def demand(self, events: list[dict[str, Any]], kind: str, period: int, around: tuple[D, D] | None) -> None:
        """A documentation (5 wd) or account (10 wd) demand and its delivery."""
        rng = self.rng
        if around is None or rng.random() < 0.4:
            asked = self.days.near_holiday(rng, 12) if rng.random() < 0.5 else self.date_between(
                PERIOD_START, D(2023, 6, 15))
        else:
            asked = self.date_between(*around)
        asked = self.office_day(asked)
        request: dict[str, Any] = {"type": f"{kind}_requested", "date": asked, "id": f"{kind[:3].upper()}-1"}
        ext = 0
        if rng.random() < 0.1:
            ext = rng.randint(1, 12 if kind == "documentation" else 15)
            request["extension"] = ext
        events.append(request)
        due = self.days.add_wd(asked, period + min(ext, 10 if kind == "documentation" else ext))
        roll = rng.random()
        if roll < 0.62:
            delivered = self.date_between(asked + DAY, due)
        elif roll < 0.92:
            delivered = due + rng.randint(1, 16) * DAY
        else:
            return
        events.append({"type": f"{kind}_delivered", "date": delivered, "ref": request["id"]})

    def invoice(self, events: list[dict[str, Any]], facts: dict[str, Any], around: tuple[D, D] | None) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.25:
            year = rng.choice((2020, 2021, 2022))
            sent = D(year, 11, 18) + rng.randint(0, 18) * DAY  # due over Christmas / New Year
        elif roll < 0.35:
            sent = self.days.near_holiday(rng, 3) - 30 * DAY
        elif around is not None:
            sent = self.date_between(*around)
        else:
            sent = self.date_between(PERIOD_START, D(2023, 5, 31))
        sent = self.office_day(sent)
        amount = self.money(2_000, 150_000)
        if rng.random() < 0.08:
            events.append({"type": "invoice_sent", "date": sent, "amount": amount, "complete": False, "id": "F-0"})
            sent += rng.randint(3, 20) * DAY
        events.append({"type": "invoice_sent", "date": sent, "amount": amount, "complete": True, "id": "F-1"})
        due = sent + 30 * DAY
        while due.weekday() >= 5 or due in self.days.public:
            due += DAY
        roll = rng.random()
        if roll < 0.6:
            paid = due - rng.randint(0, 10) * DAY
        elif roll < 0.9:
            paid = due + rng.randint(1, 45) * DAY
        else:
            paid = None
        if paid is not None:
            for day, part in self.payments(amount, sent, paid):
                events.append({"type": "payment_made", "date": day, "amount": part, "ref": "F-1"})
        if rng.random() < 0.95:
            facts["late_payment_interest_rate"] = rng.choice((Decimal(8), Decimal("8.05"), Decimal("9.75"),
                                                               Decimal("10.5")))

    def payments(self, amount: Decimal, sent: D, paid: D) -> list[tuple[D, Decimal]]:
        """The invoice paid in full on `paid`: in one payment, or (one in seven) a part of it up to 40 days
        earlier — on time or late — and the rest on `paid`."""
        parts = self.parts
        if parts.random() >= 1 / 7:
            return [(paid, amount)]
        first = (amount * Decimal(parts.randint(20, 80)) / 100).quantize(Decimal("0.01"))
        early = max(sent, paid - parts.randint(1, 40) * DAY)
        return [(early, first), (paid, amount - first)]

    def weekly(self, events: list[dict[str, Any]], kind: str, start: D, end: D, p_miss: float,
               extra: dict[str, Any] | None = None) -> list[D]:
        """One event in (almost) every ISO week of [start, end]."""
        rng = self.rng
        out = []
        monday = start - start.weekday() * DAY
        while monday <= end:
            lo, hi = max(monday, start), min(monday + 6 * DAY, end)
            open_days = [lo + i * DAY for i in range((hi - lo).days + 1) if self.days.is_working(lo + i * DAY)]
            if open_days and rng.random() >= p_miss:  # no working day in the week (Christmas): no event
                for _ in range(2 if rng.random() < 0.08 else 1):
                    day = rng.choice(open_days)
                    event = {"type": kind, "date": day, **(extra or {})}
                    if kind == "followup_contact":
                        event["mode"] = rng.choice(("phone", "phone", "face_to_face", "company_visit"))
                    events.append(event)
                    out.append(day)
            monday += 7 * DAY
        return out

    # a case ------------------------------------------------------------------------------------
    def course(self, number: int) -> dict[str, Any]:
        rng = self.rng
        offering = rng.choices(self.offerings, self.weights)[0]
        _, weeks, hmin, hmax, weekly, visits, placement_gap, match = KBH_OFFERINGS[offering]
        start = self.start_date()
        nominal = weeks or rng.randint(8, 20)
        roll = rng.random()
        if roll < 0.8:
            length = nominal * 7 - 1
        elif roll < 0.92:
            length = rng.randint(4, nominal) * 7 - rng.randint(1, 3)
        else:
            length = (nominal + rng.randint(1, 8)) * 7  # longer than typical
        end = start + length * DAY
        facts: dict[str, Any] = {"order_start": start, "order_end": end}
        lo, hi = Decimal(hmin or "1"), Decimal(hmax or str(Decimal(hmin or "1") + 10))
        if rng.random() < 0.82:
            steps = int((hi - lo) * 2)
            booked = lo + Decimal(rng.randint(0, steps)) / 2
        elif rng.random() < 0.5 and lo > 1:
            booked = lo - Decimal(rng.randint(1, int(lo * 2) - 1)) / 2
        else:
            booked = hi + Decimal(rng.randint(1, 8)) / 2
        facts["booked_hours_per_week"] = booked.normalize() if booked != booked.to_integral() else int(booked)
        events: list[dict[str, Any]] = []
        begun = start
        if rng.random() < 0.85:
            begun = start + rng.choice((0, 0, 0, 1, 2, 3)) * DAY
            events.append({"type": "course_started", "date": begun})
        # most cases are looked at after the order ended, some while it runs
        as_of = end + rng.randint(1, 60) * DAY if rng.random() < 0.75 else self.date_between(start + 7 * DAY, end)

        if weekly:
            self.weekly(events, "followup_contact", begun, end, 0.04)
        if visits:
            block = begun
            while block <= end:
                if rng.random() < 0.9:
                    events.append({"type": "company_visit",
                                   "date": self.date_between(block, min(block + (visits * 7 - 1) * DAY, end))})
                block += visits * 7 * DAY
        if placement_gap and rng.random() < 0.6:
            placed = begun + rng.randint(5, 12 * 7 if match is None else (match + 1) * 7) * DAY
            if placed < end:
                events.append({"type": "company_placement_started", "date": placed})
                stop = end if rng.random() < 0.7 else self.date_between(placed + 14 * DAY, end)
                if stop < end:
                    events.append({"type": "company_placement_ended", "date": stop})
                day = placed
                while day <= stop:
                    events.append({"type": "followup_contact", "date": day,
                                   "mode": rng.choice(("company_visit", "face_to_face", "phone"))})
                    day += rng.randint(15, 21) * DAY if rng.random() < 0.04 else rng.randint(5, 14) * DAY
        if match and rng.random() < 0.35:
            events.append({"type": "report_submitted", "date": begun + (match * 7 + rng.randint(-5, 10)) * DAY,
                           "no_match_justification": rng.random() < 0.7})
        if offering == "A4":
            on_time = rng.random() < 0.85
            handed = begun - rng.randint(0, 3) * DAY if on_time else begun + rng.randint(1, 10) * DAY
            events.append({"type": "schedule_handed_out", "date": handed, "period_start": start})
            sessions = self.weekly(events, "a4_session", begun, end, 0.07, {"professional": "psychologist"})
            if sessions and rng.random() < 0.8:
                pick = rng.choice(sessions)
                for event in events:
                    if event["type"] == "a4_session" and event["date"] == pick:
                        event["professional"] = "psychiatrist"
                        break
        if end < as_of and rng.random() < 0.3:
            ordered = int(booked * (length + 1) / 7) + 1
            facts["ordered_hours"] = ordered
            facts["hourly_price"] = rng.choice((Decimal(350), Decimal(400), Decimal("452.50"), Decimal("525.75")))
            roll = rng.random()
            if roll < 0.55:
                facts["hours_delivered_by_end"] = ordered
                events.append({"type": "order_fully_delivered", "date": end - rng.randint(0, 5) * DAY})
            else:
                facts["hours_delivered_by_end"] = max(0, ordered - rng.randint(1, 20))
                if roll < 0.9:
                    events.append({"type": "order_fully_delivered", "date": end + rng.randint(1, 15) * DAY})
            if rng.random() < 0.1:
                facts["delivered_part_unusable"] = True
                if rng.random() < 0.5:
                    facts["order_value"] = self.money(20_000, 200_000)
            elif rng.random() < 0.1:
                facts["delivered_part_unusable"] = False
        if rng.random() < 0.3:
            self.demand(events, "documentation", 5, (start, min(end, as_of)))
        if rng.random() < 0.15:
            self.demand(events, "account", 10, (start, min(end, as_of)))
        if rng.random() < 0.35:
            self.invoice(events, facts, (start, end))
        if rng.random() < 0.2:
            facts["value_of_late_part"] = self.money(5_000, 80_000)
        return self.finish(number, offering, as_of, facts, events)

    def demands_only(self, number: int) -> dict[str, Any]:
        rng = self.rng
        events: list[dict[str, Any]] = []
        facts: dict[str, Any] = {}
        for kind, period, p in (("documentation", 5, 0.75), ("account", 10, 0.45)):
            if rng.random() < p:
                self.demand(events, kind, period, None)
        if not events:
            self.demand(events, "documentation", 5, None)
        if rng.random() < 0.3:
            facts["value_of_late_part"] = self.money(5_000, 80_000)
        last = max(e["date"] for e in events)
        as_of = last + rng.randint(0, 40) * DAY if rng.random() < 0.85 else last - rng.randint(0, 10) * DAY
        return self.finish(number, None, as_of, facts, events)

    def invoice_only(self, number: int) -> dict[str, Any]:
        rng = self.rng
        events: list[dict[str, Any]] = []
        facts: dict[str, Any] = {}
        self.invoice(events, facts, None)
        last = max(e["date"] for e in events)
        as_of = last + rng.randint(0, 60) * DAY if rng.random() < 0.85 else last - rng.randint(5, 40) * DAY
        return self.finish(number, None, as_of, facts, events)

    def finish(self, number: int, offering: str | None, as_of: D, facts: dict[str, Any],
               events: list[dict[str, Any]]) -> dict[str, Any]:
        kept = sorted((e for e in events if e["date"] <= as_of), key=lambda e: e["date"])
        case: dict[str, Any] = {"case": f"KBH-S{self.seed}-{number:07d}", "contract": "kobenhavn"}
        if offering is not None:
            case["offering"] = offering
        case["as_of"] = as_of.isoformat()
        case["facts"] = {k: (v.isoformat() if isinstance(v, D) else v) for k, v in facts.items()}
        case["events"] = [{k: (v.isoformat() if isinstance(v, D) else v) for k, v in e.items()} for e in kept]
        return case

    def __iter__(self) -> Iterator[dict[str, Any]]:
        number = 0
        while True:
            number += 1
            roll = self.rng.random()
            if roll < 0.72:
                yield self.course(number)
            elif roll < 0.86:
                yield self.demands_only(number)
            else:
                yield self.invoice_only(number)


@functools.lru_cache(maxsize=4)
def load_spec(contract_id: str) -> Any:
    """contracts/ID.yaml, loaded and validated once per process."""
    from rulekit import load_contract

    return load_contract(ROOT / "contracts" / f"{contract_id}.yaml")


class SpecDerivedGenerator:
    """Cases for a contract without a hand-tuned generator (Rudersdal, Hedensted): the cases of the
    spec's embedded tests and of its shipped examples, varied with a seed. Each case takes one of
    them, moves every date by the same number of months (-18 … +18, so dated month statuses stay on
    the 1st while weekdays and holidays change), drops an event now and then (8 %), varies money facts
    (×0.5 … ×1.5, to øre) and looks a little later (as_of + 0 … 45 days). The spec must load and validate;
    every generated case is a valid input for it."""

    contract_id = ""

    def __init__(self, seed: int) -> None:
        from rulekit.dsl import types as t
        from rulekit.spec.yamlsource import load_yaml

        self.rng = random.Random(seed)
        self.seed = seed
        path = ROOT / "contracts" / f"{self.contract_id}.yaml"
        contract = load_spec(self.contract_id)  # raises a SpecError if the spec does not validate
        self.money = {name for name, decl in contract.facts.items() if decl.type == t.MONEY}
        data = load_yaml(path, kind="spec").data
        templates = [dict(test["case"]) for test in data.get("tests") or () if isinstance(test.get("case"), dict)]
        for example in sorted((ROOT / "examples" / self.contract_id).glob("*.yaml")):
            doc = load_yaml(example, kind="input").data
            if isinstance(doc, dict) and "portfolio" in doc and isinstance(doc.get("cases"), list):
                templates.extend({"as_of": doc.get("as_of"), **c} for c in doc["cases"] if isinstance(c, dict))
            elif isinstance(doc, dict) and "case" in doc:
                templates.append(dict(doc))
        self.templates = [c for c in templates if c.get("as_of") is not None and self._valid(contract, c)]
        if not self.templates:
            raise ValueError(f"{path}: no test or example cases to vary")

    @staticmethod
    def _valid(contract: Any, case: dict[str, Any]) -> bool:
        """Tests of input errors (a negative number of hours, an unknown category) are no templates."""
        from rulekit.errors import RulekitError
        from rulekit.runtime import read_case

        try:
            read_case({"case": "template", **case}, contract)
        except RulekitError:
            return False
        return True

    def _shift(self, value: Any, months: int) -> Any:
        from rulekit.calendar import add_months

        if isinstance(value, D) and not isinstance(value, dt.datetime):
            return add_months(value, months)
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return add_months(D.fromisoformat(value), months)
            except ValueError:
                return value
        if isinstance(value, dict):
            return {k: self._shift(v, months) for k, v in value.items()}
        if isinstance(value, list):
            return [self._shift(v, months) for v in value]
        return value

    def __iter__(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        number = 0
        while True:
            number += 1
            template = rng.choice(self.templates)
            months = rng.randint(-18, 18)
            case: dict[str, Any] = {"case": f"{self.contract_id[:3].upper()}-S{self.seed}-{number:07d}",
                                    "contract": self.contract_id}
            if template.get("offering") is not None:
                case["offering"] = template["offering"]
            case["as_of"] = self._shift(template["as_of"], months) + rng.randint(0, 45) * DAY
            facts = self._shift(dict(template.get("facts") or {}), months)
            for name in self.money & set(facts):
                if isinstance(facts[name], int | Decimal) and not isinstance(facts[name], bool):
                    factor = Decimal(rng.randint(50, 150)) / 100
                    facts[name] = (Decimal(facts[name]) * factor).quantize(Decimal("0.01"))
            case["facts"] = facts
            kept = [e for e in template.get("events") or () if not isinstance(e, dict) or rng.random() >= 0.08]
            case["events"] = [self._shift(e, months) for e in _answered(kept)]
            yield _prep_dates(case)


def _answered(events: list[Any]) -> list[Any]:
    """Without the answers whose `ref` names an event that was dropped (a ref must name an event)."""
    while True:
        ids = {e["id"] for e in events if isinstance(e, dict) and "id" in e}
        kept = [e for e in events if not (isinstance(e, dict) and "ref" in e and e["ref"] not in ids)]
        if len(kept) == len(events):
            return kept
        events = kept


def _prep_dates(value: Any) -> Any:
    """Dates as ISO text, everything else as it is (Decimals stay Decimals)."""
    if isinstance(value, D):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _prep_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_prep_dates(v) for v in value]
    return value


GENERATORS: dict[str, Any] = {"kobenhavn": KobenhavnGenerator}
for _name in ("rudersdal", "hedensted"):
    if (ROOT / "contracts" / f"{_name}.yaml").exists():
        GENERATORS[_name] = type(f"{_name.capitalize()}Generator", (SpecDerivedGenerator,), {"contract_id": _name})


def cases(contract: str, n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """The first `n` synthetic cases for `contract` (dates as ISO strings, amounts as Decimal)."""
    gen = iter(GENERATORS[contract](seed))
    for _ in range(n):
        yield next(gen)


def lines(contract: str, n: int, seed: int = 1, corrupt_line: int | None = None) -> Iterator[str]:
    """JSON Lines text (with newlines); line `corrupt_line` (1-based) is replaced by broken JSON."""
    for number, case in enumerate(cases(contract, n, seed), start=1):
        text = dumps(case)
        if number == corrupt_line:
            text = text[: len(text) // 2]  # cut in the middle of the object: invalid JSON
        yield text + "\n"


def write(path: str | Path | None, contract: str, n: int, seed: int = 1, corrupt_line: int | None = None) -> None:
    out = sys.stdout if path in (None, "-") else open(path, "w", encoding="utf-8")  # noqa: SIM115
    try:
        out.writelines(lines(contract, n, seed, corrupt_line))
    finally:
        if out is not sys.stdout:
            out.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Seeded synthetic rulekit cases as JSON Lines.")
    p.add_argument("contract", choices=sorted(GENERATORS))
    p.add_argument("-n", type=int, default=1000, help="number of cases (default 1000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--corrupt-line", type=int, metavar="N", help="write line N (1-based) as broken JSON")
    args = p.parse_args(argv)
    if args.corrupt_line is not None and not 1 <= args.corrupt_line <= args.n:
        p.error(f"--corrupt-line must be between 1 and {args.n}")
    write(args.output, args.contract, args.n, args.seed, args.corrupt_line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
