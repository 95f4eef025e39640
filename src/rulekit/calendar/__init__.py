"""Working-day calendars (the `holidays` package plus contract days) and calendar arithmetic."""

from .periods import add_months, end_of_month, quarter_of
from .workdays import DayOff, WorkingCalendar

__all__ = ["DayOff", "WorkingCalendar", "add_months", "end_of_month", "quarter_of"]
