"""Type rules of the functions for whole numbers, dated parameters, periods, interest and time of day."""

from __future__ import annotations

from ..calendar.hours import parse_time
from . import ast
from . import types as t
from .check import CheckError, Rule, _arity, _date_fn

# ISO 4217 codes of the currencies in use (and XDR); a money literal or `currency:` must be one of these.
_CODES = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY
TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XDR XOF XPF YER ZAR ZMW ZWG
"""
CURRENCIES = frozenset(_CODES.split())
DAY_COUNTS = ("act/365", "act/360", "30/360")
_WHOLE = {t.INT, t.DEC}
_DIVISIBLE = {t.INT, t.DEC, t.MONEY, t.PERCENT, *t.DURATIONS, *t.TIME_SPANS}


def _whole(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 1)
    if args[0] not in _WHOLE:
        hint = ("divide by a unit first, e.g. ceil(x / 1 working_days), or count started periods with "
                "started(x, 2 working_days)") if args[0] in _DIVISIBLE else None
        raise CheckError("E202", f"{node.fn}() makes a number whole, not {args[0]}", node.args[0], hint)
    return t.INT


def _started(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    a, b = args
    if not ((a == b and a in _DIVISIBLE) or (t.is_numeric(a) and t.is_numeric(b))):
        raise CheckError("E203", f"started() counts periods of one unit in another; found {a} and {b}", node,
                         "e.g. started(delay, 1 service_hours) or started(x.late_working_days, 2)")
    return t.INT


def _at(node: ast.Call, args: list[t.Type]) -> t.Type:
    _arity(node, args, 2)
    if not isinstance(node.args[0], ast.Name):
        raise CheckError("E202", "at() reads a parameter: its first argument is the parameter's name",
                         node.args[0], "e.g. at(hourly_price, item.date)")
    if args[1] not in (t.DATE,):
        raise CheckError("E202", f"at() needs a date second, not {args[1]}", node.args[1],
                         "date(x) is the local date of an instant x" if args[1] == t.DATETIME else None)
    return args[0]


def _interest(node: ast.Call, args: list[t.Type]) -> t.Type:
    if len(args) not in (4, 5):
        raise CheckError("E205", f"interest() takes 4 or 5 arguments, got {len(args)}", node,
                         'interest(principal, from, to, annual_rate, "act/365")')
    wanted = (t.MONEY, t.DATE, t.DATE, t.PERCENT)
    for i, (arg, typ, want) in enumerate(zip(node.args, args, wanted, strict=False)):
        if typ != want:
            what = ("principal", "from date", "to date", "annual rate")[i]
            raise CheckError("E202", f"interest() needs the {what} as {want}, not {typ}", arg,
                             'interest(principal, from, to, annual_rate, "act/365")')
    if len(args) == 5:
        basis = node.args[4]
        if not isinstance(basis, ast.Text) or basis.value not in DAY_COUNTS:
            raise CheckError("E202", "interest(): the day count is one of " + ", ".join(DAY_COUNTS),
                             basis, 'write it as text, e.g. "act/365"')
    return t.MONEY


def _date(node: ast.Call, args: list[t.Type]) -> t.Type:
    if len(args) == 1 and args[0] == t.DATETIME:
        return t.DATE
    if len(args) == 3 and all(a == t.INT for a in args):
        return t.DATE
    raise CheckError("E202", "date() takes an instant (its local date) or a year, month and day (integers)", node,
                     "e.g. date(first(x).at) or date(year(item.date) - 1, 7, 1)")


def _instant_fn(result: t.Type, n: int) -> Rule:
    def rule(node: ast.Call, args: list[t.Type]) -> t.Type:
        _arity(node, args, n)
        for arg, typ in zip(node.args, args, strict=True):
            if typ != t.DATETIME:
                raise CheckError("E202", f"{node.fn}() needs an instant (datetime), but this is {typ}", arg,
                                 "a fact or field of type datetime, or a literal like 2024-03-01T16:00+01:00")
        return result
    return rule


def _instant(node: ast.Call, args: list[t.Type]) -> t.Type:
    if len(args) == 1 and args[0] == t.DATE:
        return t.DATETIME
    if len(args) == 2 and args[0] == t.DATE and isinstance(node.args[1], ast.Text):
        try:
            parse_time(node.args[1].value)
        except ValueError as exc:
            raise CheckError("E202", f"instant(): {exc}", node.args[1], 'e.g. "16:00"') from None
        return t.DATETIME
    raise CheckError("E202", 'instant() takes a date and optionally a local time of day as text', node,
                     'e.g. instant(as_of) (its start) or instant(item.date, "16:00")')


MORE_FUNCTIONS: dict[str, Rule] = {
    "ceil": _whole, "floor": _whole, "started": _started, "at": _at, "interest": _interest,
    "quarters": _date_fn(t.list_of(t.DATE), 2), "half_years": _date_fn(t.list_of(t.DATE), 2),
    "years": _date_fn(t.list_of(t.DATE), 2), "date": _date, "instant": _instant,
    "service_hours_between": _instant_fn(t.SERVICE_HOURS, 2), "hours_between": _instant_fn(t.HOURS, 2),
    "started_working_days": _instant_fn(t.INT, 2),
}
