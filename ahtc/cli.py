"""The `ahtc` command: the common operations in one place.

ahtc serve [--port 8000]     start the server on 127.0.0.1
ahtc demo                    migrate, load the demo data, print sign-ins
ahtc migrate                 apply database migrations
ahtc createuser NAME ...     create a staff user with a role
ahtc areas import FILE       load an area hierarchy from CSV
ahtc legal import FILE | list [--on DATE]   the dated legal catalogue
ahtc genkey | rotate-keys    field-encryption keys
ahtc totp USERNAME           current code of a demo persona
ahtc audit verify | export   check the audit log's hash chain; ship it as JSON lines
ahtc backup [--output PATH]  encrypted archive of the database and stored files
ahtc restore PATH            load an archive into an empty database
ahtc manage ...              any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys


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


def _serve(port: int, production: bool) -> None:
    from django.core.management import execute_from_command_line

    if production:
        import subprocess

        workers = str(max(2, (os.cpu_count() or 1) * 2))
        gunicorn = [sys.executable, "-m", "gunicorn", "ahtc.wsgi:application"]
        subprocess.run([*gunicorn, "-b", f"127.0.0.1:{port}", "-w", workers], check=True)  # noqa: S603
        return
    _call("collectstatic", "--noinput", "-v", "0")
    execute_from_command_line(["ahtc", "runserver", f"127.0.0.1:{port}", "--noreload"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ahtc", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the server on 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--production", action="store_true", help="gunicorn instead of runserver")
    demo = sub.add_parser("demo", help="migrate and load the demo data")
    demo.add_argument("--serve", action="store_true", help="then start the server")
    demo.add_argument("--port", type=int, default=8000)
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("genkey", help="print a new field-encryption key")
    sub.add_parser("rotate-keys", help="re-encrypt identity fields under the newest key")
    for name in ("createuser", "areas", "legal", "totp", "manage", "backup", "restore"):
        sub.add_parser(name, add_help=False)
    audit = sub.add_parser("audit", help="verify or export the audit log")
    audit.add_argument("action", choices=["verify", "export"])
    args, rest = parser.parse_known_args(argv)
    _django()
    if args.command == "serve":
        _serve(args.port, args.production)
    elif args.command == "demo":
        _call("migrate", "--noinput", "-v", "0")
        _call("demo", "--base-url", f"http://127.0.0.1:{args.port}")
        if args.serve:
            _serve(args.port, production=False)
    elif args.command == "migrate":
        _call("migrate", "--noinput")
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
