"""Import and export the directory in HSDS, in either form, validated first.

PATH is a folder (the CSV data package) or a .json file. An import is
validated against the vendored schemas before anything is written; a file that
fails changes nothing. Imports upsert by HSDS id, so importing a partner list
twice updates it. Audited ("directory_import" / "directory_export", counts only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.directory.bundle import Bundle, ImportResult, apply_bundle, bundle_from_db
from bot.directory.hsds_csv import read_csv_package, write_csv_package
from bot.directory.hsds_json import read_json, write_json
from bot.directory.validate import validate_path
from bot.store.audit import record_event
from bot.store.models import Advocate


class TransferError(ValueError):
    """An import or export refused; `errors` lists what the validator found."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []


def is_csv_package(path: Path) -> bool:
    """A folder is a CSV data package; a .json file is HSDS JSON."""
    return path.is_dir() or path.suffix.lower() != ".json"


def read_path(path: Path) -> Bundle:
    return read_csv_package(path) if path.is_dir() else read_json(path)


def import_path(session: Session, path: Path, *, advocate: Advocate | None = None,
                actor: str | None = None) -> ImportResult:
    if not path.exists():
        raise TransferError(f"{path}: no such file or folder")
    errors = validate_path(path)
    if errors:
        raise TransferError(f"{path} is not valid HSDS 3.0 ({len(errors)} problem(s))", errors)
    result = apply_bundle(session, read_path(path))
    record_event(session, "directory_import", advocate=advocate, actor=actor,
                 form="csv" if path.is_dir() else "json",
                 added=sum(result.added.values()), updated=sum(result.updated.values()),
                 skipped=len(result.skipped))
    return result


@dataclass(frozen=True)
class ExportResult:
    services: int
    errors: list[str]


def export_path(session: Session, path: Path, *, advocate: Advocate | None = None,
                actor: str | None = None) -> ExportResult:
    """Write every entry (retired and unverified too, with their status and dates) and
    validate what was written."""
    bundle = bundle_from_db(session)
    if is_csv_package(path):
        write_csv_package(bundle, path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json(bundle, path)
    record_event(session, "directory_export", advocate=advocate, actor=actor,
                 form="csv" if path.is_dir() else "json", services=len(bundle["services"]))
    return ExportResult(len(bundle["services"]), validate_path(path))
