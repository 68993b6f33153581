"""Thresholds of §11 and the way rule messages write money and percentages, shared by the rule rooms."""

from __future__ import annotations

from treasurer_app.forms.base import Record

EDUCATION_MIN_PERCENT = 40
ADMIN_MAX_PERCENT = 10
INTEREST_EDUCATION_MIN_PERCENT = 40
INTEREST_A_ROWS = ("2", "3-1", "3-2", "4")  # choice A: interest only on rows (2)–(4)


def money(n: int) -> str:
    return f"{n:,}"


def percent(part: int, whole: int) -> str:
    """One decimal, rounded down: 39.99 % must never print as 40.0 % in a message saying it is under 40 %."""
    if not whole:
        return "—"
    tenths = abs(part) * 1000 // abs(whole)
    sign = "-" if (part < 0) != (whole < 0) and tenths else ""
    return f"{sign}{tenths // 10}.{tenths % 10}%"


def at_least_percent(part: int, whole: int, minimum: int) -> bool:
    return part * 100 >= whole * minimum


def is_blank(record: Record) -> bool:
    return not any((v or "").strip() for v in record.values())
