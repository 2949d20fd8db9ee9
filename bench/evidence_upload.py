"""Upload a 2 GB evidence video to a live local server; print throughput and
the server's peak memory against a baseline.

    .venv/bin/python bench/evidence_upload.py [--mb 1907] [--port PORT]

Runs in a fresh temporary AHTC_VAR_DIR (SQLite, filesystem storage; with
AHTC_STORAGE=s3 and its variables set, the object store). It makes a cell
officer and a case, starts `ahtc serve` on 127.0.0.1, signs the officer in,
then measures:
  baseline  the same bytes, generated the same way, written to a file in the
            same folder and fsynced (a plain copy to disk);
  upload    the bytes sent as a multipart form to the evidence page, in 1 MiB
            pieces, while the server seals them to storage;
  download  the evidence streamed back, hashed on arrival and compared.
It prints seconds, MB/s, the ratios upload / baseline and download / baseline,
and the server's resident memory: at rest, at its peak (VmHWM) and the growth
as a fraction of the file size. Nothing is kept: the folder is deleted.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
BLOCK = random.Random(7).randbytes(MIB)  # test data, not a secret
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
BOUNDARY = "ahtc-bench-boundary-51c3"


def pieces(size: int) -> Iterator[bytes]:
    """The file: an MP4 header, then a random MiB repeated, cut to `size`."""
    yield MP4_HEAD
    left = size - len(MP4_HEAD)
    while left > 0:
        piece = BLOCK[:left]
        left -= len(piece)
        yield piece


def memory(pid: int) -> dict[str, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return {k: int(v) * 1024 for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}


def setup(var_dir: Path) -> tuple[str, str]:
    """A cell officer with a confirmed authenticator, a case, and a signed-in
    session (as after a real sign-in with the second factor)."""
    os.environ["AHTC_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", "--noinput", "-v", "0")
    from ahtc.accounts.models import OrganisationKind
    from ahtc.accounts.roles import Role
    from ahtc.accounts.services import (
        organisation_create,
        role_grant,
        totp_device_confirm_demo,
        user_create,
    )
    from ahtc.cases.models import Origin
    from ahtc.cases.services import case_open
    from ahtc.geography.models import Area
    from ahtc.geography.services import area_import_csv

    area_import_csv(source="punjab")
    district = Area.objects.get(code="PK620")
    org = organisation_create(kind=OrganisationKind.POLICE_AHTC, name_en="Bench", area=district)
    password = secrets.token_urlsafe(24)
    user = user_create(username="bench_officer", password=password, organisation=org)
    role_grant(user=user, role=Role.CELL_OFFICER, area=district, by=None)
    totp_device_confirm_demo(user=user)
    case = case_open(district=district, by=user, title="Bench case", origin=Origin.WALK_IN)
    client = Client()
    client.force_login(user, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", case.reference


def form_token(port: int, path: str, cookie: str) -> tuple[str, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        where = response.headers.get("Location", "")
        raise SystemExit(f"the evidence page answered {response.status} {where}")
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    csrf = "; ".join(f"{k}={v.value}" for k, v in jar.items())
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("no CSRF token on the evidence page")
    return f"{cookie}; {csrf}", match.group(1)


def upload(port: int, path: str, cookie: str, token: str, size: int) -> tuple[float, str]:
    fields = {"csrfmiddlewaretoken": token, "kind": "other", "description": "bench", "holder": "IO"}
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    )
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.putheader("Cookie", cookie)
    connection.endheaders()
    digest = hashlib.sha256()
    started = time.perf_counter()
    connection.send(head.encode())
    for piece in pieces(size):
        digest.update(piece)
        connection.send(piece)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    if response.status != 302:
        raise SystemExit(f"the upload answered {response.status}, not a redirect")
    return seconds, digest.hexdigest()


def download(port: int, path: str, cookie: str) -> tuple[float, str, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    digest, size = hashlib.sha256(), 0
    while data := response.read(MIB):
        digest.update(data)
        size += len(data)
    return time.perf_counter() - started, digest.hexdigest(), size


def baseline(folder: Path, size: int) -> float:
    target = folder / "baseline.bin"
    started = time.perf_counter()
    with target.open("wb") as out:
        for piece in pieces(size):
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[Any]) -> None:
    for _attempt in range(200):
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1907, help="file size in MiB (1907 = 2 GB)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()
    size = args.mb * MIB
    port = args.port or free_port()
    var_dir = Path(tempfile.mkdtemp(prefix="ahtc-bench-evidence-"))
    server: subprocess.Popen[Any] | None = None
    try:
        cookie, reference = setup(var_dir)
        env = {**os.environ, "AHTC_VAR_DIR": str(var_dir)}
        server = subprocess.Popen(  # noqa: S603 - our own command
            [sys.executable, "-m", "ahtc.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(port, server)
        page = f"/cell/cases/{reference}/evidence/"
        cookie, token = form_token(port, page, cookie)
        at_rest = memory(server.pid)["VmRSS"]
        copy_seconds = baseline(var_dir, size)
        up_seconds, sent_hash = upload(port, page, cookie, token, size)
        peak = memory(server.pid)["VmHWM"]
        from ahtc.cases.models import Evidence

        evidence = Evidence.objects.get()
        file_path = f"/cell/cases/{reference}/evidence/{evidence.pk}/file/"
        down_seconds, got_hash, got_size = download(port, file_path, cookie)
        peak_after = memory(server.pid)["VmHWM"]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
    mb = size / 1e6
    print(f"file: {size} bytes ({mb:.0f} MB)")
    print(f"baseline (copy to disk): {copy_seconds:.1f} s, {mb / copy_seconds:.0f} MB/s")
    print(f"upload (sealed to storage): {up_seconds:.1f} s, {mb / up_seconds:.0f} MB/s")
    print(f"download (streamed back): {down_seconds:.1f} s, {mb / down_seconds:.0f} MB/s")
    print(f"ratio upload / baseline: {up_seconds / copy_seconds:.2f}")
    print(f"ratio download / baseline: {down_seconds / copy_seconds:.2f}")
    print(f"server memory at rest: {at_rest / MIB:.0f} MiB")
    print(f"server peak memory: {peak / MIB:.0f} MiB after the upload, {peak_after / MIB:.0f} MiB")
    growth = max(peak, peak_after) - at_rest
    print(f"peak growth / file size: {growth / size:.4f} ({growth / MIB:.0f} MiB)")
    intact = evidence.sha256 == sent_hash == got_hash and got_size == size
    print(f"hashes match: {intact}")
    return 0 if intact else 1


if __name__ == "__main__":
    sys.exit(main())
