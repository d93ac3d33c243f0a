"""`nidaan backup` and `nidaan restore`: the node's database and documents in one
encrypted file, and back.

A backup holds, in a gzip'd tar stream sealed by `sealed.py` with the backup key:

    db/nidaan.sqlite3   a consistent copy made while the clinic keeps working (WAL:
                        writers are not blocked): SQLite's online backup API, or on an
                        encrypted node `sqlcipher_export` under a key made for this
                        backup (in the manifest), so no plain copy touches the disk
    blobs/xx/<sha256>   every stored document, as stored (already encrypted per
                        organisation, see documents/storage.py)
    manifest.json       last: each file's SHA-256 and size, per table its row count and
                        a SHA-256 over its rows in rowid order, and the copy's key

Restore refuses a non-empty target, checks every file against the manifest while it is
written, runs `PRAGMA integrity_check`, recomputes every table's row digest and only
then moves the files into place. The key never goes into the backup: keep the recovery
key (`nidaan keys recovery`) apart from the backups.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from nidaan import keys
from nidaan.backups import rotation, sealed

DB_NAME = "nidaan.sqlite3"
SUFFIX = ".nbak"
_STAMP = "%Y%m%dT%H%M%SZ"
_CHUNK = 1024 * 1024


class RestoreRefused(Exception):
    """The backup cannot be restored as asked (and nothing was written)."""


@dataclass
class BackupResult:
    path: Path
    size: int
    files: int
    rows: int
    seconds: float
    removed: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    files: int
    rows: int
    tables: int
    seconds: float


SQLCIPHER = "nidaan.keys.sqlcipher"


def _copy_database(copy: Path) -> bytes | None:
    """A consistent copy of the node's database (the one Django uses, tests included).

    An encrypted node's copy is encrypted too, with a fresh key for this backup only,
    which travels in the manifest inside the sealed stream: no plain copy of the records
    is ever written to disk, not even in a temporary folder. Returns that key (None: a
    plain copy of a plain database)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        raise RestoreRefused(
            "`nidaan backup` backs up a node's SQLite database; back the hub's PostgreSQL "
            "up with pg_dump and continuous archiving (docs/security.md)"
        )
    name = str(connection.settings_dict["NAME"])
    if connection.settings_dict["ENGINE"] == SQLCIPHER:
        from nidaan.keys.sqlcipher.base import export, raw_key

        copy_key = os.urandom(keys.KEY_BYTES)
        export(Path(name), copy, source_key=raw_key(), target_key=raw_key(copy_key))
        return copy_key
    # The test runner's in-memory database is shared through a `file:` URI.
    source = sqlite3.connect(name, uri=name.startswith("file:"))
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return None


def _open_copy(path: Path, copy_key: bytes | None) -> Any:
    if copy_key is None:
        return sqlite3.connect(path)
    from nidaan.keys.sqlcipher.base import connect

    return connect(path, copy_key)


def backup_directory() -> Path:
    configured = os.environ.get("NIDAAN_BACKUP_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backups"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def table_digests(db: Any) -> dict[str, dict[str, Any]]:
    """Per table: its row count and a SHA-256 over its rows (rowid order)."""
    result: dict[str, dict[str, Any]] = {}
    tables = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    ).fetchall()
    for name, sql in tables:
        if (sql or "").upper().startswith("CREATE VIRTUAL"):
            continue  # its rows live in its shadow tables, which are digested
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            rows = db.execute(f"SELECT * FROM {quoted} ORDER BY rowid")  # noqa: S608
        except Exception as error:  # a WITHOUT ROWID table: order by its columns
            # sqlite3's or sqlcipher3's OperationalError (the same digest serves both).
            if type(error).__name__ != "OperationalError":
                raise
            width = len(db.execute(f"SELECT * FROM {quoted} LIMIT 0").description)  # noqa: S608
            order = ", ".join(str(i) for i in range(1, width + 1))
            rows = db.execute(f"SELECT * FROM {quoted} ORDER BY {order}")  # noqa: S608
        digest, count = hashlib.sha256(), 0
        for row in rows:
            digest.update(repr(row).encode() + b"\n")
            count += 1
        result[name] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _blob_files(blob_root: Path) -> Iterator[Path]:
    if not blob_root.is_dir():
        return
    for path in sorted(blob_root.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path


def _add(tar: tarfile.TarFile, path: Path, name: str, manifest: dict[str, Any]) -> None:
    manifest["files"][name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with path.open("rb") as handle:
        tar.addfile(info, handle)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_backup(
    directory: Path | None = None, *, now: datetime.datetime | None = None, rotate: bool = True
) -> BackupResult:
    started = time.monotonic()
    directory = directory or backup_directory()
    directory.mkdir(parents=True, exist_ok=True)
    moment = (now or timezone.now()).astimezone(datetime.UTC)
    final = directory / f"nidaan-{moment.strftime(_STAMP)}{SUFFIX}"
    key = keys.backup_key()
    with tempfile.TemporaryDirectory(prefix="nidaan-backup-") as scratch:
        copy = Path(scratch) / DB_NAME
        copy_key = _copy_database(copy)
        db = _open_copy(copy, copy_key)
        try:
            digests = table_digests(db)
        finally:
            db.close()
        manifest: dict[str, Any] = {
            "format": "nidaan-backup-1",
            "created_at": moment.isoformat(),
            "files": {},
            "tables": digests,
        }
        if copy_key is not None:
            manifest["db_key"] = copy_key.hex()
        partial = directory / f".{final.name}.partial"
        with partial.open("wb") as out:
            writer = sealed.SealedWriter(
                out,
                key,
                {"created_at": moment.isoformat(), "key_id": keys.fingerprint(key)},
            )
            # gzip level 1: most of the size gain of level 9 at a fraction of the time.
            zipped = gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=1, mtime=0)
            with zipped, tarfile.open(fileobj=zipped, mode="w|") as tar:
                _add(tar, copy, f"db/{DB_NAME}", manifest)
                blob_root = Path(settings.DATA_DIR) / "blobs"
                for path in _blob_files(blob_root):
                    _add(tar, path, "blobs/" + path.relative_to(blob_root).as_posix(), manifest)
                body = json.dumps(manifest, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode = len(body), 0o600
                tar.addfile(info, _BytesReader(body))
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, final)
        _fsync(directory)
    removed = prune(directory) if rotate else []
    return BackupResult(
        path=final,
        size=final.stat().st_size,
        files=len(manifest["files"]),
        rows=sum(t["rows"] for t in digests.values()),
        seconds=time.monotonic() - started,
        removed=removed,
    )


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


def backups_in(directory: Path) -> dict[datetime.datetime, Path]:
    found = {}
    for path in directory.glob(f"nidaan-*{SUFFIX}"):
        stamp = path.name[len("nidaan-") : -len(SUFFIX)]
        try:
            moment = datetime.datetime.strptime(stamp, _STAMP).replace(tzinfo=datetime.UTC)
        except ValueError:
            continue
        found[moment] = path
    return found


def prune(directory: Path) -> list[Path]:
    """Delete the backups the rotation does not keep; return them."""
    found = backups_in(directory)
    keep = rotation.to_keep(found)
    removed = [path for moment, path in sorted(found.items()) if moment not in keep]
    for path in removed:
        path.unlink()
    return removed


def _member_target(staging: Path, name: str) -> Path:
    """Where a member goes, refusing anything outside the two known folders."""
    posix = PurePosixPath(name)
    allowed = name == f"db/{DB_NAME}" or (
        len(posix.parts) == 3 and posix.parts[0] == "blobs" and ".." not in posix.parts
    )
    if not allowed or posix.is_absolute():
        raise RestoreRefused(f"the backup holds an unexpected file: {name!r}")
    return staging.joinpath(*posix.parts)


def _copy_hashing(source: IO[bytes], target: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def restore_backup(
    backup: Path, into: Path, *, master_key: bytes | None = None, check_only: bool = False
) -> RestoreResult:
    started = time.monotonic()
    if not check_only and into.exists() and any(into.iterdir()):
        raise RestoreRefused(f"{into} is not empty: restore into a new, empty data directory")
    key = keys.backup_key(master_key)
    parent = into.parent if not check_only else Path(tempfile.gettempdir())
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nidaan-restore-", dir=parent))
    try:
        written: dict[str, dict[str, Any]] = {}
        manifest: dict[str, Any] | None = None
        with backup.open("rb") as source:
            _, header = sealed.read_header(source)
            if header.get("key_id") != keys.fingerprint(key):
                raise RestoreRefused(
                    "this backup was made with another key: give that node's recovery key "
                    "(--recovery-key or NIDAAN_MASTER_KEY)"
                )
            source.seek(0)
            reader = sealed.SealedReader(source, key)
            unzipped = gzip.GzipFile(fileobj=reader, mode="rb")
            with unzipped, tarfile.open(fileobj=unzipped, mode="r|") as tar:
                for member in tar:
                    if member.name == "manifest.json":
                        handle = tar.extractfile(member)
                        assert handle is not None  # noqa: S101 - a regular file member
                        manifest = json.loads(handle.read())
                        continue
                    if not member.isfile():
                        raise RestoreRefused(f"the backup holds a non-file: {member.name!r}")
                    target = _member_target(staging, member.name)
                    handle = tar.extractfile(member)
                    assert handle is not None  # noqa: S101
                    sha256, size = _copy_hashing(handle, target)
                    written[member.name] = {"sha256": sha256, "size": size}
        if manifest is None:
            raise RestoreRefused("the backup has no manifest")
        if written != manifest["files"]:
            differing = sorted(
                set(written) ^ set(manifest["files"])
                | {n for n in written if written[n] != manifest["files"].get(n)}
            )
            raise RestoreRefused(f"files differ from the backup's manifest: {differing[:5]}")
        database = staging / "db" / DB_NAME
        copy_key = bytes.fromhex(manifest["db_key"]) if manifest.get("db_key") else None
        db = _open_copy(database, copy_key)
        try:
            (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise RestoreRefused(f"the restored database fails integrity_check: {verdict}")
            digests = table_digests(db)
        finally:
            db.close()
        if digests != manifest["tables"]:
            bad = sorted(name for name in digests if digests[name] != manifest["tables"].get(name))
            raise RestoreRefused(f"tables differ from the backup's manifest: {bad[:5]}")
        if not check_only:
            encrypt = settings.NIDAAN_DB_ENCRYPTION == "sqlcipher"
            if encrypt or copy_key is not None:
                # Into this node's key (or, on a node that opted out, into plain SQLite).
                from nidaan.keys.sqlcipher.base import export, raw_key

                rekeyed = staging / "rekeyed.sqlite3"
                export(
                    database,
                    rekeyed,
                    source_key=raw_key(copy_key) if copy_key is not None else None,
                    target_key=raw_key(master_key) if encrypt else "''",
                )
                database = rekeyed
            into.mkdir(parents=True, exist_ok=True)
            os.replace(database, into / DB_NAME)
            if (staging / "blobs").exists():
                os.replace(staging / "blobs", into / "blobs")
            _fsync(into)
        return RestoreResult(
            files=len(written),
            rows=sum(t["rows"] for t in digests.values()),
            tables=len(digests),
            seconds=time.monotonic() - started,
        )
    except (sealed.SealBroken, tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise RestoreRefused(f"the backup cannot be read: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
