"""Stored files are sealed before they reach storage, in one chunked format,
on the filesystem or in an S3-compatible store (core/storage.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

from ahtc.core.storage import (
    FILE_MAGIC,
    FileStore,
    StoredFileError,
    file_store,
    filesystem_store,
)
from ahtc.core.streaming import CHUNK_BYTES, StreamKey
from ahtc.core.tests.storage_helpers import (
    BLOCK,
    moto_endpoint_fixture,  # noqa: F401 - a fixture
    new_bucket,
    raw_objects,
    s3_bucket_fixture,  # noqa: F401 - a fixture
    s3_options,
)
from ahtc.portal.files import storage_dir

SECRET = b"Nasreen's brother, CNIC 34101-2345678-9, kept at the Phalia kiln"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def large(size: int) -> bytes:
    return (BLOCK * (size // len(BLOCK) + 1))[:size]


class TestFilesystem:
    def test_round_trip_is_sealed_on_disk_under_a_random_name(self) -> None:
        stored = file_store().save_bytes(SECRET)
        raw = (storage_dir() / stored.name).read_bytes()
        assert raw.startswith(FILE_MAGIC + b" 2 ")
        assert SECRET not in raw
        assert b"Nasreen" not in raw
        assert len(stored.name) == 32
        assert file_store().read_bytes(stored.name) == SECRET
        assert stored.size == len(SECRET)

    def test_file_is_private_to_the_server_account(self) -> None:
        stored = file_store().save_bytes(SECRET)
        assert (storage_dir() / stored.name).stat().st_mode & 0o777 == 0o600

    def test_a_file_written_the_old_way_still_reads(self, settings: Any) -> None:
        token = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).encrypt(SECRET)
        (storage_dir() / ("a" * 32)).write_bytes(token)
        assert file_store().read_bytes("a" * 32) == SECRET

    def test_many_chunks_round_trip(self) -> None:
        data = large(3 * CHUNK_BYTES + 12345)
        stored = file_store().save_bytes(data)
        assert b"".join(file_store().chunks(stored.name)) == data

    def test_a_file_written_under_an_old_key_reads_after_rotation(self, settings: Any) -> None:
        stored = file_store().save_bytes(SECRET)
        old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
        assert file_store().read_bytes(stored.name) == SECRET
        newer = file_store().save_bytes(SECRET)
        new_id = StreamKey.from_fernet_key(settings.FIELD_ENCRYPTION_KEYS[0]).key_id
        assert new_id.encode() in (storage_dir() / newer.name).read_bytes()[:80]

    def test_without_its_key_a_file_is_a_clear_error(self, settings: Any) -> None:
        stored = file_store().save_bytes(SECRET)
        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
        with pytest.raises(StoredFileError, match="no key in FIELD_ENCRYPTION_KEYS"):
            file_store().read_bytes(stored.name)

    @pytest.mark.parametrize(
        ("damage", "message"),
        [
            (lambda raw: raw[:-20], "incomplete"),
            (lambda raw: raw[:-1], "incomplete"),
            (lambda raw: raw[:200] + bytes([raw[200] ^ 1]) + raw[201:], "does not authenticate"),
            (lambda raw: raw + b"x", "data after its end marker"),
        ],
        ids=["end marker cut off", "cut short", "a bit flipped", "bytes appended"],
    )
    def test_a_damaged_file_is_refused(self, damage: Any, message: str) -> None:
        stored = file_store().save_bytes(large(CHUNK_BYTES + 10))
        path = storage_dir() / stored.name
        path.write_bytes(damage(path.read_bytes()))
        with pytest.raises(StoredFileError, match=message):
            file_store().read_bytes(stored.name)

    def test_chunks_of_two_files_cannot_be_swapped(self) -> None:
        first, second = (file_store().save_bytes(SECRET) for _ in range(2))
        raw_first = (storage_dir() / first.name).read_bytes()
        raw_second = (storage_dir() / second.name).read_bytes()
        header_end = raw_first.index(b"\n") + 1
        (storage_dir() / first.name).write_bytes(raw_first[:header_end] + raw_second[header_end:])
        with pytest.raises(StoredFileError, match="does not authenticate"):
            file_store().read_bytes(first.name)

    def test_an_abandoned_write_leaves_nothing(self) -> None:
        writer = file_store().writer()
        writer.write(large(2 * CHUNK_BYTES))
        writer.abort()
        assert list(storage_dir().iterdir()) == []
        assert list(file_store().entries()) == []

    def test_names_that_could_leave_the_folder_are_refused(self) -> None:
        with pytest.raises(StoredFileError):
            file_store().read_bytes("../settings.py")


def s3_store(endpoint: str, bucket: str) -> FileStore:
    return FileStore(S3Storage(**s3_options(endpoint, bucket)))


@pytest.mark.usefixtures("s3_bucket")
class TestS3:
    def test_round_trip_and_the_object_is_ciphertext(
        self, moto_endpoint: str, s3_bucket: str
    ) -> None:
        stored = file_store().save_bytes(SECRET)
        objects = raw_objects(moto_endpoint, s3_bucket)
        assert list(objects) == [f"reports/{stored.name}"]
        assert SECRET not in objects[f"reports/{stored.name}"]
        assert b"Nasreen" not in objects[f"reports/{stored.name}"]
        assert file_store().read_bytes(stored.name) == SECRET

    def test_nothing_identifying_in_object_metadata(
        self, moto_endpoint: str, s3_bucket: str
    ) -> None:
        from ahtc.core.tests.storage_helpers import s3_client

        stored = file_store().save_bytes(SECRET)
        head = s3_client(moto_endpoint).head_object(Bucket=s3_bucket, Key=f"reports/{stored.name}")
        assert head["ContentType"] == "application/octet-stream"
        assert head.get("Metadata", {}) == {}

    def test_a_large_object_streams_in_parts(self, moto_endpoint: str, s3_bucket: str) -> None:
        data = large(20 * 1024 * 1024 + 7)
        writer = file_store().writer()
        for start in range(0, len(data), 64 * 1024):
            writer.write(data[start : start + 64 * 1024])
        stored = writer.commit()
        raw = raw_objects(moto_endpoint, s3_bucket)[f"reports/{stored.name}"]
        assert BLOCK[:4096] not in raw
        assert b"".join(file_store().chunks(stored.name)) == data

    def test_an_abandoned_multipart_upload_leaves_nothing(
        self, moto_endpoint: str, s3_bucket: str
    ) -> None:
        from ahtc.core.tests.storage_helpers import s3_client

        writer = file_store().writer()
        writer.write(large(10 * 1024 * 1024))  # one part sent already
        writer.abort()
        assert raw_objects(moto_endpoint, s3_bucket) == {}
        uploads = s3_client(moto_endpoint).list_multipart_uploads(Bucket=s3_bucket)
        assert uploads.get("Uploads", []) == []

    def test_delete(self, moto_endpoint: str, s3_bucket: str) -> None:
        stored = file_store().save_bytes(SECRET)
        file_store().delete(stored.name)
        assert raw_objects(moto_endpoint, s3_bucket) == {}
        assert not file_store().exists(stored.name)

    @pytest.mark.django_db
    def test_reconcile_lists_missing_and_unnamed_objects(self, capsys: Any) -> None:
        from ahtc.portal.files import CleanFile
        from ahtc.portal.models import TipAttachment
        from ahtc.portal.tests.test_intake import make_tip

        make_tip(files=[CleanFile(kind="pdf", data=b"%PDF-1.4\n" + SECRET)])
        attachment = TipAttachment.objects.get()
        orphan = file_store().save_bytes(b"%PDF-1.4\n")
        file_store().delete(attachment.stored_name)
        with pytest.raises(CommandError, match="lost their files"):
            call_command("reconcile_files")
        out = capsys.readouterr().out
        assert f"missing file: portal.tipattachment {attachment.pk}" in out
        assert orphan.name in out

    def test_a_filesystem_file_copies_raw_to_s3_and_reads_there(
        self, moto_endpoint: str, tmp_path: Path
    ) -> None:
        local = filesystem_store(tmp_path / "old")
        stored = local.save_bytes(SECRET)
        remote = s3_store(moto_endpoint, new_bucket(moto_endpoint))
        sink = remote.raw_sink(stored.name)
        with local.open_raw(stored.name) as source:
            sink.write(source.read())
        sink.commit()
        assert remote.read_bytes(stored.name) == SECRET


class TestOrphansByAge:
    def test_age_comes_from_the_storage_listing(self) -> None:
        old = file_store().save_bytes(b"x")
        two_hours_ago = time.time() - 7200
        os.utime(storage_dir() / old.name, (two_hours_ago, two_hours_ago))
        entries = {entry.name: entry.modified for entry in file_store().entries()}
        assert entries[old.name].timestamp() == pytest.approx(two_hours_ago, abs=1)


class TestMigrateCommand:
    def test_files_move_to_the_object_store_and_read_there(
        self, settings: Any, moto_endpoint: str, capsys: Any
    ) -> None:
        legacy = Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).encrypt(SECRET)
        (storage_dir() / ("b" * 32)).write_bytes(legacy)
        sealed = file_store().save_bytes(SECRET)
        bucket = new_bucket(moto_endpoint)
        backend = {"BACKEND": "storages.backends.s3.S3Storage"}
        default = {**backend, "OPTIONS": s3_options(moto_endpoint, bucket)}
        settings.STORAGES = {**settings.STORAGES, "default": default}
        call_command("storage", "migrate", "--to", "s3")
        assert "2 files copied" in capsys.readouterr().out
        assert file_store().read_bytes("b" * 32) == SECRET
        assert file_store().read_bytes(sealed.name) == SECRET
        call_command("storage", "migrate", "--to", "s3")
        assert "0 files copied (0 bytes), 2 already there" in capsys.readouterr().out

    def test_without_an_object_store_configured_it_says_what_to_set(self) -> None:
        with pytest.raises(CommandError, match="AHTC_STORAGE=s3"):
            call_command("storage", "migrate", "--to", "s3")


def settings_in_child(**env: str) -> subprocess.CompletedProcess[str]:
    code = "import ahtc.settings as s; print(s.STORAGES['default']['BACKEND'])"
    return subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


class TestSettings:
    def test_s3_needs_a_bucket(self) -> None:
        done = settings_in_child(AHTC_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="")
        assert done.returncode != 0
        assert "AHTC_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in done.stderr

    def test_s3_is_chosen_by_configuration(self) -> None:
        done = settings_in_child(AHTC_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="ahtc-files")
        assert done.stdout.strip() == "storages.backends.s3.S3Storage"

    def test_filesystem_is_the_default(self) -> None:
        done = settings_in_child(AHTC_STORAGE="filesystem")
        assert done.stdout.strip() == "django.core.files.storage.FileSystemStorage"
