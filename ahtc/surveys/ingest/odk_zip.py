"""ODK Central ZIP export ("CSV files (.zip)"): `<form id>.csv` holds the
submissions, `<form id>-<repeat>.csv` each repeat; a repeat row's
`PARENT_KEY` names its parent row's `KEY`. Group names in headers are joined
by "-" ("group-question")."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from ahtc.surveys.ingest.kobo_csv import decoded, rows_of
from ahtc.surveys.ingest.records import ExportError, Parsed, Table, link

MAX_MEMBERS = 200


def read(content: bytes) -> Parsed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ExportError("not a ZIP file") from exc
    names = [n for n in archive.namelist() if n.lower().endswith(".csv")][:MAX_MEMBERS]
    if not names:
        raise ExportError("no CSV files in the ZIP")
    # The submissions' file has the shortest name; repeats add "-<repeat>".
    names.sort(key=lambda n: (len(PurePosixPath(n).stem), n))
    main = PurePosixPath(names[0]).stem
    tables = []
    for name in names:
        stem = PurePosixPath(name).stem
        sheet = stem[len(main) + 1 :] if stem != main and stem.startswith(main) else stem
        tables.append(Table(sheet, rows_of(decoded(archive.read(name)), sheet)))
    if not tables[0].rows:
        raise ExportError("the submissions' file is empty")
    return link(
        tables,
        own_id=lambda table, r: str(r.fields.get("KEY", "")),
        parent_id=lambda table, r: str(r.fields.get("PARENT_KEY", "")),
    )
