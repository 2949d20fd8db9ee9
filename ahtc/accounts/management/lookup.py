"""Shared look-ups for the administration commands: clear errors, no tracebacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from ahtc.accounts.models import Organisation, User
from ahtc.core.errors import RuleError
from ahtc.geography.models import Area


def area_by_code(code: str) -> Area:
    area = Area.objects.current().filter(code=code.strip()).first()
    if area is None:
        raise CommandError(f"no current area has the code {code!r} (see `ahtc areas`)")
    return area


def areas_by_codes(codes: str) -> list[Area]:
    return [area_by_code(code) for code in codes.split(",") if code.strip()]


def organisation_by_ref(value: str) -> Organisation:
    """By id, or by exact English name when that names one organisation."""
    query = (
        Organisation.objects.filter(pk=int(value))
        if value.isdigit()
        else Organisation.objects.filter(name_en=value)
    )
    found = list(query.select_related("area")[:2])
    if len(found) != 1:
        raise CommandError(f"no single organisation matches {value!r} (see `ahtc orgs list`)")
    return found[0]


def user_by_username(username: str) -> User:
    user = User.objects.filter(username=username).select_related("organisation__area").first()
    if user is None:
        raise CommandError(f"no user is called {username!r}")
    return user


def date_arg(value: str) -> dt.date:
    """argparse type for YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's refusal or a validation error, as one line on stderr."""
    try:
        yield
    except ValidationError as exc:
        raise CommandError("; ".join(exc.messages)) from exc
    except RuleError as exc:
        raise CommandError(exc.message) from exc


def table(rows: list[list[str]], write: Callable[[str], None]) -> None:
    """Left-aligned columns, for reading in a terminal."""
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        write(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
