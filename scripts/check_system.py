"""Check the system libraries WeasyPrint needs (PDF reports and exports).

No system Urdu font is needed: the PDFs embed the Naskh that ships with AHTC
(ahtc/static/ahtc/fonts, docs/urdu.md "Fonts"). Latin text uses whatever font
fontconfig has; Debian's Pango pulls one in (fonts-dejavu-core or another, by way of
fontconfig-config).

Run by `make demo` and `make test` before anything else, with the system's
Python (the virtual environment may not exist yet). Exits 0 when everything
is present; otherwise prints the exact Debian/Ubuntu install line and exits 1.
Set AHTC_SKIP_SYSTEM_CHECK=1 to skip it (a machine without apt, say).
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# (Debian package, what it provides) in install order.
PANGO = ("libpango-1.0-0", "pango-1.0")
PANGOFT2 = ("libpangoft2-1.0-0", "pangoft2-1.0")


def missing_libraries() -> list[str]:
    return [
        package for package, library in (PANGO, PANGOFT2) if not ctypes.util.find_library(library)
    ]


def missing_packages() -> list[str]:
    return missing_libraries()


def main() -> int:
    if os.environ.get("AHTC_SKIP_SYSTEM_CHECK") == "1":
        return 0
    missing = missing_packages()
    if not missing:
        return 0
    print("AHTC needs system libraries for its PDFs (WeasyPrint): Pango.")
    print("Missing: " + ", ".join(missing) + ". Install them with:")
    print()
    print("    sudo apt-get install -y " + " ".join(missing))
    print()
    print("(Set AHTC_SKIP_SYSTEM_CHECK=1 to go on without them; PDF tests will fail.)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
