"""Walk the audit log's hash chain; exit non-zero if any row was changed,
removed or moved (docs/operations.md, "Verifying the audit log")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.core.audit import (
    ChainReport,
    audit_chain_check,
    audit_chain_from_lines,
    audit_chain_verify,
)


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (in the database, or an exported JSON-lines file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000, help="rows read at a time")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help="a row hash recorded earlier (e.g. from a shipped copy) that must still be there",
        )
        parser.add_argument(
            "--file", help="verify an `audit_export` JSON-lines file instead of the database"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if options["file"]:
            report = self._verify_file(options["file"])
        else:
            report = audit_chain_verify(batch_size=options["batch_size"], anchors=options["anchor"])
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.intact:
            shown = len(report.problems)
            more = f" (first {shown} shown)" if shown < report.problem_count else ""
            raise CommandError(
                f"audit chain BROKEN: {report.problem_count} problem(s) in {report.rows} rows{more}"
            )
        self.stdout.write(f"audit chain intact: {report.rows} rows, head {report.head}")

    def _verify_file(self, path: str) -> ChainReport:
        with open(path, encoding="utf-8") as lines:
            rows = audit_chain_from_lines(lines)
            first = next(rows, None)
            if first is None:
                return ChainReport()
            # A partial export starts where the previous one ended: trust its first link.
            return audit_chain_check(
                _prepend(first, rows),
                known=lambda _hash: None,
                start=first["prev_hash"],
                with_items=True,
            )


def _prepend(first: dict[str, Any], rest: Any) -> Any:
    yield first
    yield from rest
