"""Calendar arithmetic shared by filters, follow-up due dates and survival."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`months` calendar months after `day` (before, when negative); a day the month lacks
    becomes its last day (31/01 + 1 → 28/02, or 29/02 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
