"""Pictures are refused by their pixel count, read from the header, before any
decoding: a PNG of a few KB can declare 8000x8000 pixels and cost seconds and
most of a gigabyte to decode. Citizens' files and victims' photographs go
through the same check."""

from __future__ import annotations

import struct
import zlib
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ImageFile

from ahtc.portal.files import FileRejectedError, clean_upload
from ahtc.portal.models import Tip

from .test_files import photo_with_exif
from .test_reporting import report_data


def png(width: int, height: int) -> bytes:
    """A real, valid black PNG, one bit per pixel: tiny on disk, huge decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = (b"\x00" * (1 + (width + 7) // 8)) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def no_decoding(monkeypatch) -> None:
    def refuse(self: Any) -> Any:
        raise AssertionError("the picture was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(data: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/png")


def test_picture_over_the_pixel_limit_is_refused_before_decoding(no_decoding):
    big = png(6000, 5000)  # 30 megapixels, a few KB
    assert len(big) < 100_000
    with pytest.raises(FileRejectedError, match="too many pixels"):
        clean_upload(upload(big))


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_the_limit_holds_where_pillow_only_warns(no_decoding):
    # In production Pillow's own guard only warns up to twice its limit.
    with pytest.raises(FileRejectedError, match="too many pixels"):
        clean_upload(upload(png(6000, 5000)))


def test_the_pixel_limit_is_a_setting(settings):
    settings.AHTC_MAX_IMAGE_PIXELS = 64 * 48 - 1
    with pytest.raises(FileRejectedError, match="too many pixels"):
        clean_upload(upload(photo_with_exif(), "photo.jpg"))
    settings.AHTC_MAX_IMAGE_PIXELS = 64 * 48
    assert clean_upload(upload(photo_with_exif(), "photo.jpg")).kind == "jpeg"


@pytest.mark.django_db
def test_the_8000_square_png_from_the_review_is_refused_and_the_report_is_kept(client):
    client.cookies["ahtc_lang"] = "en"
    data = report_data(description="Children work at the kiln on the canal road every night.")
    data["attachments"] = [upload(png(8000, 8000))]
    response = client.post(reverse("portal:report"), data)
    page = response.content.decode()
    assert "This picture has too many pixels (more than 24 megapixels)" in page
    assert "Children work at the kiln on the canal road every night." in page
    assert not Tip.objects.exists()


@pytest.mark.django_db
def test_a_victims_photograph_meets_the_same_pixel_limit(no_decoding, officer_mbdin):
    from ahtc.victims.services import VictimError, photo_set

    # Refused before the record is touched, so none is needed.
    with pytest.raises(VictimError, match="too many pixels"):
        photo_set(record=cast(Any, None), by=officer_mbdin, upload=upload(png(6000, 5000)))
