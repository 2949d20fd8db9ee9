from __future__ import annotations

import pytest

from ahtc.cli import main


@pytest.mark.django_db
def test_areas_import_dry_run_through_the_ahtc_command(capsys):
    assert main(["areas", "import", "punjab", "--dry-run"]) == 0
    assert "check only, nothing saved" in capsys.readouterr().out


@pytest.mark.django_db
def test_genkey_prints_a_fernet_key(capsys):
    from cryptography.fernet import Fernet

    main(["genkey"])
    Fernet(capsys.readouterr().out.strip().encode())


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["genkey", "extra"], ["serve", "--port", "1", "oops"]])
def test_arguments_a_command_does_not_take_are_a_usage_error(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_migrate_passes_the_app_and_migration_on(monkeypatch):
    import ahtc.cli

    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(ahtc.cli, "_django", lambda: None)
    monkeypatch.setattr(ahtc.cli, "_call", lambda *args: calls.append(args))
    assert main(["migrate", "portal", "0016"]) == 0
    assert main(["migrate"]) == 0
    assert calls == [("migrate", "--noinput", "portal", "0016"), ("migrate", "--noinput")]
