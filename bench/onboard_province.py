"""Onboard all 41 districts of Punjab in one command: must take under a minute.

    .venv/bin/python bench/onboard_province.py              # SQLite in a temp dir
    DATABASE_URL=postgres://... .venv/bin/python bench/onboard_province.py

The database must be empty (a fresh SQLite file is made when DATABASE_URL is
unset). The run migrates, loads the Punjab hierarchy, then times:
  baseline  the same rows written bare: one organisation per onboarded
            organisation, one user with a real (production-strength) password
            hash per district, no checks and no audit;
  onboard   `ahtc districts onboard --all` (checks, audit chain, helplines,
            pages, rollout register, first cell heads with enrolment codes);
  again     the same command a second time (must change nothing).
It prints the seconds and the ratio onboard / baseline.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        os.environ["AHTC_VAR_DIR"] = tempfile.mkdtemp(prefix="ahtc-bench-onboard-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", "--noinput", "-v", "0")
    from ahtc.accounts.models import Organisation, User
    from ahtc.geography.models import Area, AreaLevel
    from ahtc.geography.services import area_import_csv
    from ahtc.onboarding.models import DistrictRollout

    if DistrictRollout.objects.exists() or Organisation.objects.exists():
        print("the database is not empty; use a fresh one", file=sys.stderr)
        return 2
    area_import_csv(source="punjab")
    districts = list(Area.objects.filter(level=AreaLevel.DISTRICT, code__startswith="PK6"))

    out = io.StringIO()
    started = time.perf_counter()
    call_command("districts", "onboard", "--all", "--province", "PK6", stdout=out)
    onboard = time.perf_counter() - started
    organisations = Organisation.objects.count()
    users = User.objects.count()

    out_again = io.StringIO()
    started = time.perf_counter()
    call_command("districts", "onboard", "--all", "--province", "PK6", stdout=out_again)
    again = time.perf_counter() - started
    unchanged = (Organisation.objects.count(), User.objects.count()) == (organisations, users)

    # Baseline: the same number of bare rows, inside a transaction rolled back.
    started = time.perf_counter()
    with transaction.atomic():
        area = districts[0]
        for i in range(organisations):
            Organisation.objects.create(kind="ngo", name_en=f"bench {i}", area=area)
        cell = Organisation.objects.filter(name_en="bench 0").get()
        for i in range(len(districts)):
            user = User(username=f"bench_{i}", organisation=cell)
            user.set_password(f"bench-password-{i}")
            user.save()
        transaction.set_rollback(True)
    baseline = time.perf_counter() - started

    print(f"database: {connection.vendor}")
    print(f"districts: {len(districts)}  organisations: {organisations}  users: {users}")
    print(f"baseline (bare rows + password hashes): {baseline:.2f} s")
    print(f"onboard --all:                          {onboard:.2f} s  (target < 60 s)")
    print(f"second run (changes nothing: {unchanged}): {again:.2f} s")
    print(f"ratio onboard / baseline: {onboard / baseline:.2f}")
    return 0 if unchanged and onboard < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
