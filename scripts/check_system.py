"""Check the system libraries WeasyPrint needs (PDF reports and exports).

Run by `make demo` and `make test` before anything else, with the system's
Python (the virtual environment may not exist yet). Exits 0 when everything
is present; otherwise prints the exact Debian/Ubuntu install line and exits 1.
Set AHTC_SKIP_SYSTEM_CHECK=1 to skip it (a machine without apt, say).
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

# (Debian package, what it provides) in install order.
PANGO = ("libpango-1.0-0", "pango-1.0")
PANGOFT2 = ("libpangoft2-1.0-0", "pangoft2-1.0")
FONT_PACKAGES = ["fonts-noto-core", "fontconfig"]
FONT_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]


def missing_libraries() -> list[str]:
    return [
        package for package, library in (PANGO, PANGOFT2) if not ctypes.util.find_library(library)
    ]


def has_urdu_font() -> bool:
    """A Naskh (or any Urdu-covering) font that fontconfig, hence Pango, can find."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False  # no fontconfig: Pango would find no font at all
    found = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [fc_list, ":lang=ur", "family"], capture_output=True, text=True, check=False
    )
    if found.stdout.strip():
        return True
    return any(any(d.rglob("NotoNaskhArabic-*.ttf")) for d in FONT_DIRS if d.is_dir())


def missing_packages() -> list[str]:
    missing = missing_libraries()
    if not has_urdu_font():
        missing += [p for p in FONT_PACKAGES if p != "fontconfig" or not shutil.which("fc-list")]
    return missing


def main() -> int:
    if os.environ.get("AHTC_SKIP_SYSTEM_CHECK") == "1":
        return 0
    missing = missing_packages()
    if not missing:
        return 0
    print("AHTC needs system libraries for its PDFs (WeasyPrint): Pango and an Urdu font.")
    print("Missing: " + ", ".join(missing) + ". Install them with:")
    print()
    print("    sudo apt-get install -y " + " ".join(missing))
    print()
    print("(Set AHTC_SKIP_SYSTEM_CHECK=1 to go on without them; PDF tests will fail.)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
