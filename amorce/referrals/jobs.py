"""The referrals' part of the daily run: reminders at day 10, expiry at day 30."""

from datetime import date

from amorce.core.daily import daily_job
from amorce.referrals.actions import expire_unanswered, remind_unanswered


@daily_job
def referral_deadlines(today: date) -> str:
    expired = expire_unanswered(today)
    reminded = remind_unanswered(today)
    return f"{reminded} relance(s), {expired} expiration(s)"
