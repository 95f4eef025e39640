"""The static types of the expression language."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field


@dataclass(frozen=True, slots=True)
class Type:
    name: str

    def __str__(self) -> str:
        return self.name


BOOL = Type("bool")
INT = Type("integer")
DEC = Type("decimal")
MONEY = Type("money")
PERCENT = Type("percent")
DATE = Type("date")
TEXT = Type("text")
DAYS = Type("days")
WORKING_DAYS = Type("working_days")
WEEKS = Type("weeks")
MONTHS = Type("months")
DATETIME = Type("datetime")  # an instant: ISO 8601 with a UTC offset
HOURS = Type("hours")  # a span of clock time (hours and minutes); held as whole seconds
SERVICE_HOURS = Type("service_hours")  # a span of the calendar's working hours; held as whole seconds
NOTHING = Type("nothing")  # the element type of an empty list literal

DURATIONS = {DAYS, WORKING_DAYS, WEEKS, MONTHS}  # whole counts, added to dates
TIME_SPANS = {HOURS, SERVICE_HOURS}  # seconds, added to instants
NUMBERS = {INT, DEC}
SCALARS = {"bool": BOOL, "integer": INT, "decimal": DEC, "money": MONEY, "percent": PERCENT, "date": DATE,
           "text": TEXT, "days": DAYS, "working_days": WORKING_DAYS, "weeks": WEEKS, "months": MONTHS,
           "datetime": DATETIME, "hours": HOURS, "service_hours": SERVICE_HOURS}


@dataclass(frozen=True, slots=True)
class EnumType(Type):
    values: tuple[str, ...] = ()
    titles: tuple[tuple[str, str, str], ...] = ()  # (value, Danish title, English title) for display

    def title(self, value: str, lang: str) -> str:
        """How a value reads to people: its declared title, or the value itself."""
        for key, da, en in self.titles:
            if key == value:
                return en if lang == "en" and en else da
        return value

    def __str__(self) -> str:
        return f"{self.name} (one of {', '.join(self.values)})"


@dataclass(frozen=True, slots=True)
class ListType(Type):
    elem: Type = NOTHING

    def __str__(self) -> str:
        return f"list of {self.elem}"


@dataclass(frozen=True, slots=True)
class Record(Type):
    """Something with named fields: an event, a rule's outputs, the offering, `contract`, `assume`."""

    fields: tuple[tuple[str, Type], ...] = ()
    answers: tuple[str, ...] = _field(default=(), compare=False)  # an event type: the event types it answers
    # a case's event type: every element the readers give has its `date` (and `type`), never missing
    dated: bool = _field(default=False, compare=False)

    def field(self, name: str) -> Type | None:
        for key, typ in self.fields:
            if key == name:
                return typ
        return None

    def field_names(self) -> list[str]:
        return [k for k, _ in self.fields]


def list_of(elem: Type) -> ListType:
    return ListType("list", elem)


def is_numeric(t: Type) -> bool:
    return t in NUMBERS


def is_text_like(t: Type) -> bool:
    return t == TEXT or isinstance(t, EnumType)


def comparable(a: Type, b: Type) -> bool:
    """Whether values of a and b may be compared with == or <."""
    if a == b or NOTHING in (a, b):
        return True
    if is_numeric(a) and is_numeric(b):
        return True
    return is_text_like(a) and is_text_like(b)


def unify(a: Type, b: Type) -> Type | None:
    """The common type of two branches (if/else, ??, list items), or None."""
    if a == b or b == NOTHING:
        return a
    if a == NOTHING:
        return b
    if is_numeric(a) and is_numeric(b):
        return DEC
    if is_text_like(a) and is_text_like(b):
        return TEXT
    if isinstance(a, ListType) and isinstance(b, ListType):
        elem = unify(a.elem, b.elem)
        return list_of(elem) if elem else None
    return None
