"""The `ahtc` command: the common operations in one place.

ahtc serve [--port 8000]     start the server (--production: gunicorn; --host, --workers)
ahtc demo                    migrate, load the demo data, print sign-ins
ahtc demo --scale province [--factor F | --reports N --cases N --people N] [--years N]
                             province-scale synthetic data on an empty database (docs/scale.md)
ahtc migrate                 apply database migrations
ahtc createuser NAME ...     create a staff user with a role
ahtc orgs list|create|update|deactivate|reactivate
                             organisations (docs/administration.md)
ahtc users list|create|grant|revoke|disable|enable|reset-password|
           enrolment-code|sessions|end-sessions
                             staff accounts, roles and sessions (docs/administration.md)
ahtc districts onboard CODE... | --all [--province CODE] | list | live CODE
                             set up districts; the rollout register (docs/onboarding.md)
ahtc indicators list | sync | refresh [--full] | compute CODE --area CODE --period P
                             [--by DIM] | target ...
                             indicators, values, targets, the screens' monthly tallies
                             (docs/monitoring.md)
ahtc export htcds --area CODE --out FILE.xlsx --user NAME [--identity --reason TEXT]
ahtc export statistics --area CODE --out FILE.xlsx --user NAME [--year Y] [--k 11]
                             standard exports: HTCDS v2, CTDC statistics (docs/monitoring.md)
ahtc areas import FILE       load an area hierarchy from CSV
ahtc legal import FILE | list [--on DATE]   the dated legal catalogue
ahtc people reindex          rebuild the name-search tokens (after bulk loads)
ahtc agencies link [--district CODE] | import FILE --district CODE --user NAME
                             travel agencies: link cases by name; import (docs/agencies.md)
ahtc surveys import FILE | builtin | ingest FILE --form ID --district CODE | list
                             XLSForm instruments and Kobo/ODK exports (docs/surveys.md)
ahtc people resolve [--full]  match people across districts now (docs/people.md)
ahtc genkey | rotate-keys    field-encryption keys
ahtc totp USERNAME           current code of a demo persona
ahtc api_token_create USERNAME --name SYSTEM [--scope read|write|reports:submit]... [--days N]
                             an API token for a partner system (docs/api.md)
ahtc audit verify | export   check the audit log's hash chain; ship it as JSON lines
ahtc backup [--output PATH]  encrypted archive of the database and stored files
ahtc restore PATH            load an archive into an empty database
ahtc storage migrate --to s3|filesystem   move stored files (docs/storage.md)
ahtc worker [--once]         run background jobs and the scheduled ones (docs/jobs.md)
ahtc manage ...              any Django management command
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    from django.utils import translation

    # Operators read the command line in English unless they ask otherwise.
    translation.activate(os.environ.get("AHTC_CLI_LANGUAGE", "en"))


def _call(name: str, *args: str) -> None:
    from django.core.management import call_command

    call_command(name, *args)


def _serve(port: int, production: bool, host: str = "127.0.0.1", workers: int = 0) -> None:
    from django.core.management import execute_from_command_line

    if production:
        import subprocess

        count = str(workers or max(2, (os.cpu_count() or 1) * 2))
        gunicorn = [sys.executable, "-m", "gunicorn", "ahtc.wsgi:application"]
        subprocess.run([*gunicorn, "-b", f"{host}:{port}", "-w", count], check=True)  # noqa: S603
        return
    _call("collectstatic", "--noinput", "-v", "0")
    execute_from_command_line(["ahtc", "runserver", f"127.0.0.1:{port}", "--noreload"])


@contextlib.contextmanager
def _worker_beside() -> Iterator[None]:
    """`ahtc demo --serve`: a job worker runs as a child process beside the
    server and is stopped when the server stops (Ctrl+C or SIGTERM)."""
    import signal
    import subprocess

    child = subprocess.Popen([sys.executable, "-m", "ahtc.cli", "worker"])
    previous = signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        try:  # Ctrl+C reached the child too: let it finish its job
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ahtc", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the server on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--production", action="store_true", help="gunicorn instead of runserver")
    # A container or a private network needs another address (deploy/compose.yaml).
    serve.add_argument("--host", default="127.0.0.1", help="with --production: address to bind")
    serve.add_argument("--workers", type=int, default=0, help="with --production: default 2/core")
    demo = sub.add_parser("demo", help="migrate and load the demo data")
    demo.add_argument("--serve", action="store_true", help="then start the server")
    demo.add_argument("--port", type=int, default=8000)
    sub.add_parser("migrate", help="apply database migrations (or: APP MIGRATION to go to one)")
    sub.add_parser("genkey", help="print a new field-encryption key")
    sub.add_parser("rotate-keys", help="re-encrypt identity fields under the newest key")
    for name in ("createuser", "areas", "legal", "totp", "manage", "backup", "restore", "worker"):
        sub.add_parser(name, add_help=False)
    for name in ("orgs", "users"):  # administration, passed to the commands of the same name
        sub.add_parser(name, add_help=False)
    for name in ("districts", "storage"):  # onboarding; moving stored files
        sub.add_parser(name, add_help=False)
    sub.add_parser("surveys", add_help=False)  # XLSForms, Kobo/ODK exports (docs/surveys.md)
    audit = sub.add_parser("audit", help="verify or export the audit log")
    audit.add_argument("action", choices=["verify", "export"])
    args, rest = parser.parse_known_args(argv)
    if rest and args.command in {"serve", "genkey", "rotate-keys"}:
        parser.error("unrecognized arguments: " + " ".join(rest))  # never ignored silently
    _django()
    if args.command == "serve":
        _serve(args.port, args.production, host=args.host, workers=args.workers)
    elif args.command == "demo":
        from django.core.management import CommandError

        _call("migrate", "--noinput", "-v", "0")
        try:  # extra options (--scale province ...) go to the command
            _call("demo", "--base-url", f"http://127.0.0.1:{args.port}", *rest)
        except CommandError as exc:  # a refusal: its reason, no traceback
            print(f"CommandError: {exc}", file=sys.stderr)
            return 1
        if args.serve:
            with _worker_beside():
                _serve(args.port, production=False)
    elif args.command == "migrate":  # `ahtc migrate portal 0016` goes back, as manage.py does
        _call("migrate", "--noinput", *rest)
    elif args.command == "rotate-keys":
        _call("rotate_keys")
    elif args.command == "audit":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ahtc", f"audit_{args.action}", *rest])
    elif args.command == "manage":
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ahtc", *rest])
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["ahtc", args.command, *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
