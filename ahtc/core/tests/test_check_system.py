"""scripts/check_system.py: `make demo` / `make test` name the missing system packages."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_system.py"


@pytest.fixture
def check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_system", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_passes_quietly_on_this_machine_which_has_the_libraries() -> None:
    done = subprocess.run(  # noqa: S603 - this repository's own script
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout
    assert done.stdout == ""


def test_missing_pango_prints_the_exact_install_line(
    check: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AHTC_SKIP_SYSTEM_CHECK", raising=False)
    monkeypatch.setattr(check.ctypes.util, "find_library", lambda name: None)
    assert check.main() == 1
    out = capsys.readouterr().out
    assert "    sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0\n" in out


def test_no_system_urdu_font_is_asked_for_since_the_pdfs_embed_their_own(
    check: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AHTC_SKIP_SYSTEM_CHECK", raising=False)
    monkeypatch.setattr(check.ctypes.util, "find_library", lambda name: f"lib{name}.so")
    monkeypatch.setattr("shutil.which", lambda name: None)  # no fc-list, no font lookup
    monkeypatch.setattr("subprocess.run", lambda *a, **k: pytest.fail("looked for a font"))
    assert check.main() == 0
    assert "fonts-noto-core" not in capsys.readouterr().out


def test_can_be_skipped_where_apt_is_not_the_installer(
    check: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setenv("AHTC_SKIP_SYSTEM_CHECK", "1")
    monkeypatch.setattr(check.ctypes.util, "find_library", lambda name: None)
    assert check.main() == 0
    assert capsys.readouterr().out == ""
