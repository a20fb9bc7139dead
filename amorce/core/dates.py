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


def latest_start_for(end: date, months: int) -> date:
    """The latest day whose `add_months(day, months)` is on or before `end`: what was
    created on or before it is at least `months` calendar months old on `end`."""
    last_day = calendar.monthrange(end.year, end.month)[1]
    if end.day == last_day:  # 31/01 + 1 month is 28/02: the whole month before counts
        earlier = add_months(end, -months)
        return earlier.replace(day=calendar.monthrange(earlier.year, earlier.month)[1])
    return add_months(end, -months)
