"""Validate HSDS JSON and CSV data packages against the vendored 3.0 schemas.

A real JSON Schema validator (jsonschema, Draft 2020-12, formats checked: uuid,
date, email...) with the schemas' relative $refs resolved from data/hsds/schema/.
CSV rows are typed by the schema first (CSV holds only strings), then checked
like JSON rows, and every column must be one the table's schema defines.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

from bot.directory.bundle import BundleError
from bot.directory.hsds_csv import FILE_NAMES
from bot.directory.hsds_json import services_in
from bot.directory.schemas import SCHEMA_DIR, TABLE_SCHEMA, columns_of, load_schema

MAX_ERRORS = 50


def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    resolver = RefResolver(base_uri=SCHEMA_DIR.as_uri() + "/", referrer=schema)
    return Draft202012Validator(schema, resolver=resolver, format_checker=FormatChecker())


def _errors(name: str, obj: Any, where: str) -> list[str]:
    out = []
    for err in sorted(validator(name).iter_errors(obj), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        out.append(f"{where}{'/' + path if path else ''}: {err.message}")
    return out


def validate_json_document(document: Any) -> list[str]:
    """Errors of every service in an HSDS JSON document (empty list: valid)."""
    try:
        services = services_in(document)
    except BundleError as exc:
        return [str(exc)]
    errors: list[str] = []
    for index, svc in enumerate(services):
        errors += _errors("service.json", svc, f"service[{index}]")
    return errors[:MAX_ERRORS]


def _typed(schema_name: str, row: dict[str, str]) -> dict[str, Any]:
    """A CSV row with empty cells left out and numbers as numbers, per the schema."""
    props = load_schema(schema_name)["properties"]
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or value == "":
            continue
        kind = (props.get(key) or {}).get("type")
        try:
            if kind == "number":
                out[key] = float(value)
                continue
            if kind == "integer":
                out[key] = int(value)
                continue
            if kind == "boolean":
                out[key] = value.strip().lower() in ("true", "1", "yes")
                continue
        except ValueError:
            pass  # left as a string: the validator says the type is wrong
        out[key] = value
    return out


def validate_csv_package(folder: Path) -> list[str]:
    errors: list[str] = []
    found = False
    for table, filename in FILE_NAMES.items():
        path = folder / filename
        if not path.is_file():
            continue
        found = True
        schema_name = TABLE_SCHEMA[table]
        known = set(columns_of(schema_name))
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                reader = csv.DictReader(fh)
                unknown = sorted(set(reader.fieldnames or ()) - known)
                if unknown:
                    errors.append(f"{filename}: columns not in {schema_name}: "
                                  f"{', '.join(unknown)}")
                for line, row in enumerate(reader, start=2):
                    errors += _errors(schema_name, _typed(schema_name, row),
                                      f"{filename}:{line}")
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            errors.append(f"{filename}: not a readable CSV file ({exc.__class__.__name__})")
    if not found:
        errors.append(f"{folder}: no HSDS CSV files (organizations.csv, services.csv...)")
    return errors[:MAX_ERRORS]


def validate_path(path: Path) -> list[str]:
    """Validate a CSV data package folder or an HSDS JSON file."""
    if path.is_dir():
        return validate_csv_package(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"{path}: not a readable JSON file ({exc.__class__.__name__})"]
    return validate_json_document(document)
