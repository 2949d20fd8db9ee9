"""`ahtc people reindex`: rebuild the name-search tokens (people/search.py).

Needed after people were loaded in bulk without the services (a restore from
another system, the province-scale generator) or after the site key changed.

`ahtc people resolve [--full]`: run the matching across districts now, in this
process (people/matches.py; the worker runs it hourly and daily): the people
added since the last run, or with --full everyone. Prints counts only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ahtc.people.models import Person
from ahtc.people.search import name_tokens_index


class Command(BaseCommand):
    help = "People registry maintenance: reindex (name-search tokens), resolve (matching)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex", "resolve"])
        parser.add_argument("--full", action="store_true", help="resolve: everyone, not new")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "resolve":
            self._resolve(full=options["full"])
            return
        total = Person.objects.count()
        self.stdout.write(f"Rebuilding the name-search tokens of {total} people…")
        done = name_tokens_index(Person.objects.all())
        self.stdout.write(self.style.SUCCESS(f"Done: {done} people indexed."))

    def _resolve(self, *, full: bool) -> None:
        from ahtc.people.matches import resolution_run
        from ahtc.people.models import ResolutionRun

        mode = ResolutionRun.Mode.FULL if full else ResolutionRun.Mode.INCREMENTAL
        run = resolution_run(
            mode=mode, progress=lambda fraction, message: self.stdout.write(f"  {message}")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done ({run.mode}): {run.people} people, {run.links_new} linked by full CNIC,"
                f" {run.candidates_new} new pairs to review."
            )
        )
