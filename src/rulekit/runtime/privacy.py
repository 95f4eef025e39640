"""Personal data: a case id (or an input declared `identifier: true`) must be pseudonymous. One shaped like
a Danish CPR number — ddmmyy-xxxx, or ten digits whose first six are a date — is refused, and no message,
error record or output repeats it: they show a masked form only."""

from __future__ import annotations

import datetime as dt
import re

_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?!\d)")


def _is_date(day: str, month: str, year: str) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def looks_like_cpr(value: object) -> bool:
    """Whether `value` holds something shaped like a CPR number (a valid date followed by four digits)."""
    if type(value) is str:  # (the usual case, tested first: this runs for every case read)
        text = value
    elif type(value) is bool or not isinstance(value, str | int):
        return False
    else:
        text = str(value)
    if len(text) < 10 or _CPR.search(text) is None:  # ten digits at least, in the shape
        return False
    return any(_is_date(m[1], m[2], m[3]) for m in _CPR.finditer(text))


def mask(value: object) -> str:
    """The value with every CPR-shaped part replaced by '******-****' (the rest is kept)."""
    text = str(value)
    return _CPR.sub(lambda m: "******-****" if _is_date(m[1], m[2], m[3]) else m[0], text)


def safe_id(value: object) -> str | None:
    """A case id as it may be echoed: masked when it is CPR-shaped."""
    if value is None:
        return None
    return mask(value) if looks_like_cpr(value) else str(value)
