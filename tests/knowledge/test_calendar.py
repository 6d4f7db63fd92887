"""Working days as the office counts them: the State Council's holidays and worked weekend days (调休) for the
years the parameter file lists as verified, Monday to Friday for any other year (and said to be so)."""
from __future__ import annotations

from datetime import date, datetime

from intake.privacy.rights import OFFICE_TZ, due_after
from knowledge.calendar import load_calendar


def test_fifteen_working_days_across_the_2026_national_day_holiday_and_a_worked_saturday():
    calendar = load_calendar()
    assert not calendar.is_working(date(2026, 10, 5))  # a Monday of the National Day holiday
    assert calendar.is_working(date(2026, 10, 10))  # a Saturday worked in exchange (调休)
    received = datetime(2026, 9, 28, 10, 0, tzinfo=OFFICE_TZ)  # a Monday
    # 29, 30 Sep; 1-7 Oct off; 8, 9, 10 (Saturday); 12-16; 19-23 Oct
    due = due_after(received, calendar=calendar)
    assert due.date() == date(2026, 10, 23)
    assert calendar.unverified(received.date(), due.date()) == ()


def test_a_year_without_a_verified_list_counts_monday_to_friday_and_says_so():
    calendar = load_calendar()
    assert not calendar.known(2027)
    assert calendar.is_working(date(2027, 1, 1))  # New Year's Day 2027 is not entered: a plain Friday
    received = datetime(2026, 12, 28, 10, 0, tzinfo=OFFICE_TZ)
    due = due_after(received, calendar=calendar)
    assert due.date() == date(2027, 1, 18)
    assert calendar.unverified(received.date(), due.date()) == (2027,)
