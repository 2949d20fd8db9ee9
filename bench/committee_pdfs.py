"""The 41 districts' monthly committee reports as PDF (issue 13): goal ≤ 60 s.

    DATABASE_URL=postgres://... .venv/bin/python bench/committee_pdfs.py [--period 2026-10]

Against the province-scale data (docs/scale.md), on PostgreSQL. Opens (or
reuses) a draft report for last month in every district that exists today,
then times:

1. **serial**: `report_files.report_pdf` for each report in English, then in
   Urdu, in this process (what one worker does, without encrypting and
   storing the file);
2. **job runner**: the same 41 English PDFs queued as `committee_report_file`
   jobs (as the "Download" button does, requested by the provincial monitor)
   and run by `ahtc worker --once --no-schedule` in WORKERS processes at once,
   from the first job queued to the last file stored (encrypted), including
   the workers' start-up.

The baseline is one report's HTML alone (the template, no PDF), so the
share of the time spent by WeasyPrint shows. Writes the draft reports, the
jobs and their (expiring) files; run it on a scratch copy. `--drain` first
runs, untimed, any jobs already waiting there (the data generation leaves
notification jobs, sent to the console in development).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

GOAL_S = 60.0


def reports_for(period_code: str) -> list[Any]:
    from ahtc.geography.models import Area, AreaLevel
    from ahtc.monitoring.models import CommitteeReport
    from ahtc.monitoring.periods import period_parse
    from ahtc.monitoring.reports import due_date

    period = period_parse(period_code)
    districts = [
        d
        for d in Area.objects.of_level(AreaLevel.DISTRICT).order_by("path")
        if d.is_valid_on(period.last_day)
    ]
    found = []
    for district in districts:
        report, _created = CommitteeReport.objects.get_or_create(
            district=district,
            period=period.code,
            defaults={"period_kind": period.kind, "due_on": due_date(period)},
        )
        found.append(report)
    return found


def serial(reports: list[Any], language: str) -> tuple[float, int]:
    from ahtc.monitoring.report_files import report_pdf

    started = time.perf_counter()
    size = sum(len(report_pdf(r, language)) for r in reports)
    return time.perf_counter() - started, size


def html_only(report: Any) -> float:
    from django.template.loader import render_to_string
    from django.utils import translation

    from ahtc.monitoring.report_files import _context, _shown
    from ahtc.monitoring.suppression import Screen, threshold

    started = time.perf_counter()
    with translation.override("en"):
        screen = Screen(threshold())  # as report_pdf: small numbers hidden, as on screen
        lines, shown = _shown(report, screen)
        render_to_string("monitoring/report_pdf.html", _context(report, lines, shown, screen))
    return time.perf_counter() - started


def through_jobs(
    reports: list[Any], workers: int, requester: str, drain: bool
) -> tuple[float, int]:
    from ahtc.accounts.models import User
    from ahtc.jobs.models import Job, JobStatus
    from ahtc.monitoring.report_files import report_file_start

    user = User.objects.get(username=requester)
    command = [sys.executable, str(ROOT / "manage.py"), "worker", "--once", "--no-schedule"]
    waiting = Job.objects.filter(status__in=[JobStatus.READY, JobStatus.RUNNING]).count()
    if waiting and not drain:
        raise SystemExit(f"{waiting} jobs already waiting: run on a quiet database, or --drain")
    if waiting:  # not timed: the jobs the data generation left (console email and SMS)
        print(f"  running the {waiting} jobs already waiting first (not timed)")
        subprocess.run([*command, "--worker-id", "bench-drain"], check=True, capture_output=True)  # noqa: S603
    started = time.perf_counter()
    jobs = [report_file_start(user=user, report=r, fmt="pdf", language="en") for r in reports]
    running = [
        subprocess.Popen(  # noqa: S603
            [*command, "--worker-id", f"bench-pdf-{n}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    for process in running:
        process.wait()
    elapsed = time.perf_counter() - started
    done = Job.objects.filter(pk__in=[j.pk for j in jobs], status=JobStatus.SUCCESSFUL).count()
    return elapsed, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--period", default="", help="a month (default: last month)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--requester", default="provincial_monitor")
    parser.add_argument("--no-jobs", action="store_true")
    parser.add_argument(
        "--drain", action="store_true", help="first run the jobs already waiting (scratch copy)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils import timezone

    from ahtc.monitoring.periods import PeriodKind, period_containing

    this_month = period_containing(timezone.localdate(), PeriodKind.MONTH)
    period = args.period or this_month.previous().code
    reports = reports_for(period)
    print(f"{len(reports)} district reports for {period}, {os.cpu_count()} cores")
    html_only(reports[0])
    html = min(html_only(r) for r in reports[:5])
    rows = [("one report's HTML (baseline)", html, 1)]
    for language in ("en", "ur"):
        seconds, size = serial(reports, language)
        rows.append((f"{len(reports)} PDFs, {language}, serial", seconds, len(reports)))
        print(f"  {language}: {size // 1024} KB of PDF")
    if not args.no_jobs:
        seconds, done = through_jobs(reports, args.workers, args.requester, args.drain)
        rows.append((f"{done} PDFs, en, {args.workers} job workers", seconds, done))
    print(f"\n{'what':<34} {'seconds':>8} {'per report':>11} {'ratio':>7}")
    for name, seconds, count in rows:
        each = seconds / max(count, 1)
        print(f"{name:<34} {seconds:>8.2f} {each:>11.3f} {each / html:>7.1f}")
    worst = max(seconds for name, seconds, _count in rows[1:])
    verdict = "met" if worst <= GOAL_S else "NOT met"
    print(f"\nslowest way {worst:.1f} s (goal ≤ {GOAL_S:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
