"""`ahtc districts`: onboard districts and read the rollout register.

    ahtc districts onboard PK620 [PK610 ...]      one or more districts
    ahtc districts onboard --all [--province PK6] every current district
    ahtc districts list [--province PK6]          the rollout register
    ahtc districts live PK620 [--on 2025-02-28]   mark a district's cell live
    ahtc districts live PK620 --not-live          undo

Onboarding is idempotent: a second run creates nothing and says so. The first
cell head's password and enrolment code are printed once, here, and never
stored in plain text: hand them over in person or by a separate channel.
"""

from __future__ import annotations

import datetime as dt
import time
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ahtc.geography.models import Area, AreaLevel
from ahtc.onboarding.models import DistrictRollout
from ahtc.onboarding.services import (
    Onboarded,
    district_onboard,
    province_districts,
    rollout_update,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Onboard districts (cell, partners, committee, first cell head) and list the rollout."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        onboard = sub.add_parser("onboard", help="set up one or more districts")
        onboard.add_argument("codes", nargs="*", metavar="CODE")
        onboard.add_argument("--all", action="store_true", help="every current district")
        onboard.add_argument("--province", default="", help="with --all: only under this area")
        onboard.add_argument("--head-username", default="", help="one district only")
        onboard.add_argument("--head-name", default="", help="one district only")
        onboard.add_argument("--cell-phone", default="", help="one district only")
        onboard.add_argument("--established", default="", help="YYYY-MM-DD (default today)")
        listing = sub.add_parser("list", help="the rollout register")
        listing.add_argument("--province", default="")
        live = sub.add_parser("live", help="mark a district's cell live")
        live.add_argument("code")
        live.add_argument("--on", default="", help="YYYY-MM-DD (default today)")
        live.add_argument("--not-live", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "onboard":
            self._onboard(options)
        elif action == "list":
            self._list(options["province"])
        else:
            self._live(options)

    def _area(self, code: str) -> Area:
        area = Area.objects.filter(code=code.strip().upper()).first()
        if area is None:
            raise CommandError(f"no area with code {code}; load areas with `ahtc areas import`")
        return area

    def _districts(self, options: dict[str, Any]) -> list[Area]:
        if options["all"] == bool(options["codes"]):
            raise CommandError("give district codes, or --all (not both)")
        if options["all"]:
            if options["province"]:
                within = self._area(options["province"])
                districts = list(province_districts(within))
            else:
                districts = list(
                    Area.objects.filter(level=AreaLevel.DISTRICT).current().order_by("path")
                )
            if not districts:
                raise CommandError("no current districts; load areas with `ahtc areas import`")
            return districts
        return [self._area(code) for code in options["codes"]]

    def _onboard(self, options: dict[str, Any]) -> None:
        districts = self._districts(options)
        single = ("head_username", "head_name", "cell_phone")
        if len(districts) > 1 and any(options[name] for name in single):
            raise CommandError("--head-username, --head-name and --cell-phone need one district")
        established = _date(options["established"]) if options["established"] else None
        started = time.monotonic()
        failures = 0
        for district in districts:
            try:
                result = district_onboard(
                    district=district,
                    head_username=options["head_username"],
                    head_display_name=options["head_name"],
                    cell_phone=options["cell_phone"],
                    established_on=established,
                )
            except ValidationError as exc:
                failures += 1
                self.stderr.write(f"{district.code}: {' '.join(exc.messages)}")
                continue
            self._report(result)
        seconds = time.monotonic() - started
        self.stdout.write(f"{len(districts) - failures} of {len(districts)} in {seconds:.1f} s")
        if failures:
            raise CommandError(f"{failures} district(s) not onboarded (see above)")

    def _report(self, result: Onboarded) -> None:
        district = result.district
        if not result.changed:
            self.stdout.write(f"{district.code} {district.name_en}: already onboarded")
        else:
            self.stdout.write(
                f"{district.code} {district.name_en}: created {len(result.created)}, "
                f"linked {len(result.linked)}"
            )
        for note in result.notes:
            self.stdout.write(f"  note: {note}")
        head = result.head
        if head is not None:
            if head.password:
                self.stdout.write(f"  cell head {head.username}  password {head.password}")
            self.stdout.write(f"  enrolment code {head.enrolment_code}  link {head.enrolment_path}")
        elif result.existing_head:
            self.stdout.write(f"  cell head: {result.existing_head}")

    def _list(self, province: str) -> None:
        rows = DistrictRollout.objects.select_related("district", "cell").order_by("district__path")
        if province:
            rows = rows.filter(district__path__startswith=self._area(province).path)
        today = timezone.localdate()
        self.stdout.write("code      district              established  live        trained")
        for row in rows:
            live = row.live_on.isoformat() if row.live_on and row.is_live(today) else "no"
            self.stdout.write(
                f"{row.district.code:<9} {row.district.name_en[:21]:<21} "
                f"{row.established_on.isoformat()}   {live:<10}  {row.trained_officers}"
            )
        self.stdout.write(f"{rows.count()} district(s) onboarded")

    def _live(self, options: dict[str, Any]) -> None:
        district = self._area(options["code"])
        rollout = DistrictRollout.objects.filter(district=district).first()
        if rollout is None:
            raise CommandError(f"{district.code} is not onboarded; run `ahtc districts onboard`")
        live_on = None if options["not_live"] else _date(options["on"]) if options["on"] else None
        if not options["not_live"] and live_on is None:
            live_on = timezone.localdate()
        rollout_update(rollout=rollout, live_on=live_on)
        state = f"live from {live_on.isoformat()}" if live_on else "not live"
        self.stdout.write(f"{district.code}: {state}")
