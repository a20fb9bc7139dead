from datetime import date, timedelta

import pytest

from amorce.core.dates import add_months, latest_start_for


@pytest.mark.parametrize("months", [1, 6, 12, 24, 36])
def test_latest_start_is_the_last_day_old_enough(months):
    """Brute force over four years of ends: the day returned is old enough, the next is not."""
    end = date(2023, 1, 1)
    while end < date(2027, 1, 1):
        latest = latest_start_for(end, months)
        assert add_months(latest, months) <= end
        assert add_months(latest + timedelta(days=1), months) > end
        end += timedelta(days=1)


def test_31_january_is_one_month_old_on_28_february():
    assert latest_start_for(date(2023, 2, 28), 1) == date(2023, 1, 31)
    assert latest_start_for(date(2024, 2, 28), 1) == date(2024, 1, 28)
