"""HSDS 3.0 tabular form: a folder of CSV files (one per table) with a datapackage.json.

File names follow the spec's examples (organizations.csv, services.csv,
service_at_location.csv...). Columns are written in the schema's order, only
those we keep; on read, unknown columns are ignored (validation reports them).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from bot.directory.bundle import ALL_TABLES, Bundle, BundleError, empty_bundle
from bot.directory.schemas import TABLE_SCHEMA, columns_of

# Bundle table -> CSV file name (the spec's examples use a singular one).
FILE_NAMES: dict[str, str] = {name: f"{name}.csv" for name in ALL_TABLES}
FILE_NAMES["service_at_locations"] = "service_at_location.csv"


def read_csv_package(folder: Path) -> Bundle:
    """Read every CSV of ours the folder holds (missing files are empty tables)."""
    if not folder.is_dir():
        raise BundleError(f"{folder}: not a folder")
    bundle = empty_bundle()
    found = False
    for table, filename in FILE_NAMES.items():
        path = folder / filename
        if not path.is_file():
            continue
        found = True
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                bundle[table] = [dict(row) for row in csv.DictReader(fh)]
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise BundleError(f"{path}: not a readable CSV file ({exc.__class__.__name__})") \
                from exc
    if not found:
        raise BundleError(f"{folder}: no HSDS CSV files (organizations.csv, services.csv...)")
    return bundle


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def write_csv_package(bundle: Bundle, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for table, filename in FILE_NAMES.items():
        rows = bundle.get(table, [])
        columns = [c for c in columns_of(TABLE_SCHEMA[table])
                   if any(c in row for row in rows) or not rows and c == "id"]
        with (folder / filename).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: _csv_value(row.get(c)) for c in columns})
        resources.append({"name": filename[:-4], "path": filename, "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8",
                          "schema": {"fields": [{"name": c} for c in columns]}})
    package = {"name": "hotline-directory", "title": "Hotline resource directory (HSDS 3.0)",
               "profile": "tabular-data-package",
               "licenses": [{"name": "CC-BY-SA-4.0",
                             "path": "https://creativecommons.org/licenses/by-sa/4.0/"}],
               "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n",
                                             encoding="utf-8")
