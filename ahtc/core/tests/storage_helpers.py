"""Shared by the storage tests: an S3 server on 127.0.0.1 (moto), and request
bodies made on the fly, so a large upload is never built in memory."""

from __future__ import annotations

import hashlib
import io
import random
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from django.test import Client
from moto.server import ThreadedMotoServer

MOTO_PORT = 5011
S3_KEYS = {"access_key": "test-access", "secret_key": "test-secret"}  # moto takes any
BOUNDARY = "ahtc-test-boundary-7d1f"
# An MP4 file's first bytes: a box of type ftyp with brand isom.
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
BLOCK = random.Random(11).randbytes(64 * 1024)  # noqa: S311 - test data, not secrets


class MotoServer(ThreadedMotoServer):
    """moto's threaded server, failing instead of waiting forever when it cannot
    start (its own `start` waits for ever if the port is taken)."""

    failed = False

    def started(self) -> bool:
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self._server_ready_event.wait(timeout=30) and not self.failed

    def _serve(self) -> None:
        try:
            self._server_entry()
        except (OSError, SystemExit):  # the port is taken (werkzeug exits)
            self.failed = True
            self._server_ready_event.set()


@pytest.fixture(scope="session", name="moto_endpoint")
def moto_endpoint_fixture(worker_id: str) -> Iterator[str]:
    # One server per test process: 5011, or any free port when 5011 is taken
    # (pytest-xdist workers, another run at the same time).
    server = MotoServer(ip_address="127.0.0.1", port=MOTO_PORT, verbose=False)
    if worker_id != "master" or not server.started():
        server = MotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        if not server.started():
            pytest.fail("the S3 test server did not start on 127.0.0.1")
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
    )


def s3_options(endpoint: str, bucket: str) -> dict[str, Any]:
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "file_overwrite": False,
        "default_acl": None,
        **S3_KEYS,
    }


def new_bucket(endpoint: str) -> str:
    bucket = f"ahtc-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture(name="s3_bucket")
def s3_bucket_fixture(settings: Any, moto_endpoint: str) -> str:
    """The configured storage is an S3 bucket of its own on the moto server."""
    bucket = new_bucket(moto_endpoint)
    backend = {"BACKEND": "storages.backends.s3.S3Storage"}
    default = {**backend, "OPTIONS": s3_options(moto_endpoint, bucket)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return bucket


def raw_objects(endpoint: str, bucket: str) -> dict[str, bytes]:
    client = s3_client(endpoint)
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listing
    }


class MultipartBody(io.RawIOBase):
    """A multipart/form-data body: text fields, then one file of `size` bytes
    (`head`, then a fixed random block repeated), made while it is read.
    `sha256` is of the file's bytes; `fail_after` cuts the body off with an
    error after that many bytes (a dropped connection)."""

    def __init__(
        self,
        fields: dict[str, str],
        *,
        size: int,
        head: bytes = MP4_HEAD,
        filename: str = "VID_20240301.mp4",
        fail_after: int | None = None,
    ) -> None:
        lines = [
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
            for k, v in fields.items()
        ]
        lines.append(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="{filename}"\r\nContent-Type: video/mp4\r\n\r\n'
        )
        self._prefix = "".join(lines).encode()
        self._suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size, self._head, self._fail_after = size, head, fail_after
        self.length = len(self._prefix) + size + len(self._suffix)
        self._parts = self._generate()
        self._pending = b""
        self._sent = 0
        digest = hashlib.sha256()
        for piece in self._file_pieces():
            digest.update(piece)
        self.sha256 = digest.hexdigest()

    def _file_pieces(self) -> Iterator[bytes]:
        yield self._head[: self.size]
        left = self.size - min(len(self._head), self.size)
        while left > 0:
            piece = BLOCK[:left]
            left -= len(piece)
            yield piece

    def _generate(self) -> Iterator[bytes]:
        yield self._prefix
        yield from self._file_pieces()
        yield self._suffix

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            self._pending = next(self._parts, b"")
            if not self._pending:
                return 0
        if self._fail_after is not None and self._sent >= self._fail_after:
            raise OSError("connection reset by the test")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        self._sent += size
        return size


def post_streamed(client: Client, path: str, body: MultipartBody, **extra: Any) -> Any:
    """POST `body` through the client's handler without building it in memory."""
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=path,
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(extra.pop("content_length", body.length)),
        **{"wsgi.input": body},
        **extra,
    )
