"""``YYYY-MM-DD`` text to a date, with the reason in plain words when it names no day.

Shared by the configuration (`since`) and the command-line date options
(`--today`, `--date`), so that both say the same thing about 2025-13-01.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(value: str) -> dt.date:
    """The date ``value`` names; ValueError ("2025-13-01 is not a real date (there is no month 13)") otherwise."""
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} is not a real date ({_why_not(text)})") from None


def _why_not(text: str) -> str:
    """What is wrong with a YYYY-MM-DD that is not a day: 'there is no month 13', 'February 2025 has 28 days'."""
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        return "there is no year 0"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day < 1:
        return "there is no day 0"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"
