"""`ahtc backup` and `ahtc restore`: an encrypted archive that restores whole
into an empty instance, and refuses clearly when it cannot (ahtc/core/backup/)."""

from __future__ import annotations

import sqlite3
import stat
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from storages.backends.s3 import S3Storage  # type: ignore[import-untyped]

from ahtc.cli import main
from ahtc.core.backup import (
    ArchiveReader,
    BackupError,
    Manifest,
    backup_create,
    backup_key,
    backup_restore,
)
from ahtc.core.fields import decrypt_str
from ahtc.core.storage import FileStore, filesystem_store
from ahtc.core.tests.storage_helpers import (
    moto_endpoint_fixture,  # noqa: F401 - a fixture
    new_bucket,
    raw_objects,
    s3_bucket_fixture,  # noqa: F401 - a fixture
    s3_options,
)
from ahtc.portal.files import CleanFile
from ahtc.portal.models import Tip, TipAttachment
from ahtc.portal.tests.test_intake import make_tip

KEY = Fernet.generate_key().decode()
DESCRIPTION = "Seven workers are kept at the Phalia kiln by a debt of 400000 rupees."
# The end marker: a length prefix, then the tag over an empty plaintext.
END_CHUNK_BYTES = 4 + 16


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sqlite_db(transactional_db: None) -> None:
    # Committed rows: the online backup API waits forever on an open write transaction.
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has test_postgres_round_trip")


def report_with_file() -> Tip:
    pdf = CleanFile(kind="pdf", data=b"%PDF-1.4\n" + b"evidence " * 50)
    return make_tip(description=DESCRIPTION, files=[pdf])


def make_archive(tmp_path: Path, *, key: str = KEY) -> tuple[Path, Manifest, list[str]]:
    lines: list[str] = []
    path = tmp_path / "nightly.ahtcbak"
    manifest = backup_create(output=path, key=key, progress=lines.append)
    return path, manifest, lines


def restore(archive: Path, database: dict[str, Any], media_root: Path, key: str = KEY) -> Manifest:
    return backup_restore(
        archive=archive,
        key=key,
        database=database,
        files=filesystem_store(media_root),
        progress=print,
    )


def sqlite_target(tmp_path: Path, name: str = "restored") -> dict[str, Any]:
    return {**connection.settings_dict, "NAME": str(tmp_path / f"{name}.sqlite3")}


def plaintext_of(archive: Path) -> bytes:
    with archive.open("rb") as source:
        return ArchiveReader(source, backup_key(key=KEY)).read()


def secrets_in(data: bytes) -> list[str]:
    keys = [*settings.FIELD_ENCRYPTION_KEYS, settings.AHTC_RECEIPT_KEY, settings.SECRET_KEY, KEY]
    return [text[:6] for text in [*keys, DESCRIPTION] if text.encode() in data]


@pytest.mark.usefixtures("sqlite_db")
class TestSqliteRoundTrip:
    def test_restore_gives_back_rows_files_and_readable_identity_fields(self, tmp_path):
        tip = report_with_file()
        archive, manifest, lines = make_archive(tmp_path)
        assert any(line.startswith("files: 1 copied") for line in lines)
        target = sqlite_target(tmp_path)
        restored = restore(archive, target, tmp_path / "media2")
        assert restored.tables == manifest.tables
        assert manifest.tables[Tip._meta.db_table] == Tip.objects.count()
        assert manifest.tables[TipAttachment._meta.db_table] == 1
        with closing(sqlite3.connect(target["NAME"])) as db:
            query = f"SELECT description FROM {Tip._meta.db_table} WHERE id = ?"  # noqa: S608
            (stored,) = db.execute(query, [tip.pk]).fetchone()
        assert stored.startswith("enc1:")
        assert decrypt_str(stored) == DESCRIPTION
        name = TipAttachment.objects.get().stored_name
        original = Path(settings.MEDIA_ROOT) / "reports" / name
        copy = tmp_path / "media2" / "reports" / name
        assert copy.read_bytes() == original.read_bytes()

    def test_archive_is_private_and_holds_no_key_or_plain_identity(self, tmp_path):
        report_with_file()
        archive, _manifest, _lines = make_archive(tmp_path)
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        assert secrets_in(archive.read_bytes()) == []
        plain = plaintext_of(archive)
        assert b"manifest.json" in plain  # the tar stream itself, decrypted
        assert secrets_in(plain) == []

    def test_wrong_key_is_a_clear_error(self, tmp_path):
        archive, _manifest, _lines = make_archive(tmp_path)
        with pytest.raises(BackupError, match="BACKUP_KEY does not open this archive"):
            restore(
                archive, sqlite_target(tmp_path), tmp_path / "m", Fernet.generate_key().decode()
            )

    @pytest.mark.parametrize("cut", [END_CHUNK_BYTES, 1000])
    def test_truncated_archive_is_refused_before_anything_is_written(self, tmp_path, cut):
        report_with_file()
        archive, _manifest, _lines = make_archive(tmp_path)
        archive.write_bytes(archive.read_bytes()[:-cut])
        target = sqlite_target(tmp_path)
        with pytest.raises(BackupError, match="incomplete"):
            restore(archive, target, tmp_path / "m")
        assert not Path(target["NAME"]).exists()

    def test_tampered_chunk_is_refused(self, tmp_path):
        archive, _manifest, _lines = make_archive(tmp_path)
        data = bytearray(archive.read_bytes())
        data[-10] ^= 0x01  # inside the end marker, after a good first chunk
        archive.write_bytes(bytes(data))
        with pytest.raises(BackupError, match=r"damaged: chunk [1-9]\d* does not authenticate"):
            restore(archive, sqlite_target(tmp_path), tmp_path / "m")

    def test_restore_into_a_database_with_tables_is_refused(self, tmp_path):
        report_with_file()
        archive, _manifest, _lines = make_archive(tmp_path)
        target = sqlite_target(tmp_path)
        restore(archive, target, tmp_path / "first")
        with pytest.raises(BackupError, match="target database is not empty"):
            restore(archive, target, tmp_path / "second")
        assert not (tmp_path / "second" / "reports").exists()

    def test_commands_print_progress_and_refuse_without_a_traceback(
        self, tmp_path, settings, capsys
    ):
        settings.AHTC_BACKUP_KEY = KEY
        report_with_file()
        archive = tmp_path / "cli.ahtcbak"
        assert main(["backup", "--output", str(archive)]) == 0
        out = capsys.readouterr().out
        assert "database:" in out
        assert "files: 1 copied" in out
        # The running instance has data: restoring over it is refused.
        with pytest.raises(SystemExit):
            main(["restore", str(archive)])
        err = capsys.readouterr().err
        assert "target database is not empty" in err
        assert "Traceback" not in err
        assert main(["restore", "--check", str(archive)]) == 0
        assert "archive intact" in capsys.readouterr().out


@pytest.mark.postgres
def test_postgres_round_trip(transactional_db: None, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    tip = report_with_file()
    archive, manifest, _lines = make_archive(tmp_path)
    name = f"ahtc_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    target = {**connection.settings_dict, "NAME": name}
    try:
        with pytest.raises(BackupError, match="target database is not empty"):
            restore(archive, dict(connection.settings_dict), tmp_path / "refused")
        restored = restore(archive, target, tmp_path / "media2")
        assert restored.tables == manifest.tables
        assert manifest.tables[Tip._meta.db_table] == Tip.objects.count()
        params = {"dbname": name, "user": target["USER"], "host": target["HOST"]}
        with psycopg.connect(**params, port=target["PORT"] or 5432) as db:
            query = f"SELECT description FROM {Tip._meta.db_table} WHERE id = %s"  # noqa: S608
            row = db.execute(query, [tip.pk]).fetchone()
        assert row is not None
        assert decrypt_str(row[0]) == DESCRIPTION
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.usefixtures("sqlite_db")
def test_files_in_an_object_store_are_backed_up_and_restored_through_storage(
    tmp_path: Path,
    moto_endpoint: str,
    s3_bucket: str,
) -> None:
    report_with_file()
    name = TipAttachment.objects.get().stored_name
    archive, manifest, _lines = make_archive(tmp_path)
    assert manifest.files == 1
    target_bucket = new_bucket(moto_endpoint)
    backup_restore(
        archive=archive,
        key=KEY,
        database=sqlite_target(tmp_path),
        files=FileStore(S3Storage(**s3_options(moto_endpoint, target_bucket))),
        progress=print,
    )
    source, copy = raw_objects(moto_endpoint, s3_bucket), raw_objects(moto_endpoint, target_bucket)
    assert copy == source
    assert list(copy) == [f"reports/{name}"]
    restored = FileStore(S3Storage(**s3_options(moto_endpoint, target_bucket)))
    assert restored.read_bytes(name).startswith(b"%PDF-1.4\nevidence")
    with pytest.raises(BackupError, match="file storage is not empty"):
        backup_restore(
            archive=archive,
            key=KEY,
            database=sqlite_target(tmp_path, "again"),
            files=restored,
            progress=print,
        )
