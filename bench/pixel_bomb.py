"""Refusing a decompression bomb costs less than accepting an ordinary photo.

An 8000x8000 PNG of a few hundred KB used to be decoded and re-encoded before
anything looked at its size (1.4 s and 0.8 GB in the hostile review). Now its
header is read and the file refused by pixel count. Baseline, same run: the
normal path for an ordinary 1600x1200 phone photo (decode, re-encode as JPEG).

    .venv/bin/python bench/pixel_bomb.py [ROUNDS]
"""

from __future__ import annotations

import io
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")

import django

django.setup()

from PIL import Image  # noqa: E402

from ahtc.portal.files import FileRejectedError, _reencode  # noqa: E402


def png(width: int, height: int, noise: bool) -> bytes:
    image = Image.new("RGB", (width, height), (20, 120, 60))
    if noise:
        image = Image.effect_noise((width, height), 40).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def timed(work, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    photo, bomb = png(1600, 1200, noise=True), png(8000, 8000, noise=False)

    def refuse() -> None:
        try:
            _reencode(bomb)
        except FileRejectedError:
            return
        raise SystemExit("the 8000x8000 picture was accepted")

    baseline = timed(lambda: _reencode(photo), rounds)
    refused = timed(refuse, rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"photo 1600x1200 ({len(photo) // 1024} KB) re-encoded: {baseline * 1000:.1f} ms")
    print(f"bomb 8000x8000 ({len(bomb) // 1024} KB) refused:     {refused * 1000:.2f} ms")
    print(f"ratio refused/baseline: {refused / baseline:.4f}")
    print(f"peak RSS of this process (it drew the bomb itself): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
