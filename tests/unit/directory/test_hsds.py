"""HSDS 3.0 import, export and validation: the spec's examples (vendored in
tests/fixtures/hsds/), our export against the vendored schemas, round trips
through both forms keep every field we model, re-import updates."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.directory import hsds_json
from bot.directory.bundle import bundle_from_db
from bot.directory.transfer import TransferError, export_path, import_path
from bot.directory.validate import validate_csv_package, validate_json_document, validate_path
from bot.store.models import (
    AuditEvent,
    DirLanguage,
    DirLocation,
    DirOrganization,
    DirPhone,
    DirSchedule,
    DirService,
    DirServiceArea,
    DirServiceAtLocation,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hsds"
EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_ORG = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
MODELS = (DirOrganization, DirService, DirLocation, DirServiceAtLocation, DirPhone,
          DirLanguage, DirSchedule, DirServiceArea)


def counts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m))
            for m in MODELS}


def test_the_examples_validate_and_a_broken_one_does_not():
    for name in ("service_full.json", "service_list.json", "organization_full.json"):
        assert validate_path(FIXTURES / name) == [], name
    assert validate_csv_package(FIXTURES / "csv") == []
    broken = json.loads((FIXTURES / "service_full.json").read_text())
    broken["status"] = "open"
    broken["id"] = "not-a-uuid"
    del broken["name"]
    errors = validate_json_document(broken)
    assert any("'name' is a required property" in e for e in errors)
    assert any("'open' is not one of" in e for e in errors)
    assert any("not-a-uuid" in e and "uuid" in e for e in errors)


def test_broken_csv_is_refused_and_changes_nothing(session, tmp_path):
    folder = tmp_path / "pkg"
    shutil.copytree(FIXTURES / "csv", folder)
    rows = list(csv.DictReader((folder / "services.csv").open()))
    rows[0]["status"] = "maybe"
    rows[0]["minimum_age"] = "twelve"
    with (folder / "services.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0].keys(), "colour"])
        writer.writeheader()
        writer.writerow({**rows[0], "colour": "red"})
    errors = validate_csv_package(folder)
    assert any("columns not in service.json: colour" in e for e in errors)
    assert any("services.csv:2/status" in e for e in errors)
    assert any("services.csv:2/minimum_age" in e for e in errors)
    before = counts(session)
    with pytest.raises(TransferError) as refused:
        import_path(session, folder, actor="cli")
    assert refused.value.errors
    assert counts(session) == before


def test_import_the_json_example(session):
    result = import_path(session, FIXTURES / "service_full.json", actor="cli")
    assert result.added["services"] == 1
    service = session.get(DirService, EXAMPLE_SERVICE)
    assert service.name == "Community Counselling"
    assert str(service.assured_date) == "2005-01-01"
    assert service.assurer_email == "email@example.com"
    assert service.minimum_age == 12 and service.maximum_age == 100
    assert session.get(DirOrganization, EXAMPLE_ORG).name == "Example Organization Inc."
    [sal] = session.scalars(select(DirServiceAtLocation)
                            .where(DirServiceAtLocation.service_id == EXAMPLE_SERVICE))
    location = session.get(DirLocation, sal.location_id)
    assert location.name and location.address_1
    langs = set(session.scalars(select(DirLanguage.code)
                                .where(DirLanguage.service_id == EXAMPLE_SERVICE)))
    assert "ur" in langs
    [sched] = session.scalars(select(DirSchedule).where(DirSchedule.service_id == EXAMPLE_SERVICE))
    assert (sched.byday, sched.opens_at, sched.closes_at) == ("TH,FR", "10:00:00", "18:00:00")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "directory_import")
                            ).one()
    assert event.details["form"] == "json" and event.details["added"] >= 5


def test_import_the_csv_example_twice_updates_never_duplicates(session):
    first = import_path(session, FIXTURES / "csv", actor="cli")
    assert first.added["services"] == 1 and first.added["phones"] == 1
    after_first = counts(session)
    second = import_path(session, FIXTURES / "csv", actor="cli")
    assert counts(session) == after_first
    assert second.added == {} and second.updated["services"] == 1
    location = session.get(DirLocation, "3a19ff88-4620-4d17-9830-ac1d859eb5d5")
    assert location.city == "MyCity" and location.postal_code == "ABC 1234"
    assert location.organization_id is None  # its organisation is not in the package


@pytest.mark.parametrize("target", ["export.json", "export-csv"])
def test_export_validates_and_round_trips_every_field(session, listed, supervisor, tmp_path,
                                                      target):
    import_path(session, FIXTURES / "service_full.json", actor="cli")
    listed("Houston Shelter House", "shelter", [("city", "TX/Houston"), ("zip", "770")],
           phones=[("voice", "713-555-0100"), ("text", "713-555-0199")], languages=["en", "es"])
    session.flush()
    before = bundle_from_db(session)
    path = tmp_path / target
    result = export_path(session, path, actor="cli")
    assert result.errors == []
    assert validate_path(path) == []
    if path.is_dir():
        package = json.loads((path / "datapackage.json").read_text())
        assert {r["path"] for r in package["resources"]} >= {"services.csv", "phones.csv"}
    else:
        document = json.loads(path.read_text())
        assert document["total_items"] == len(before["services"])
        assert validate_json_document(document) == []
    session.rollback()  # forget everything, then read the export back into an empty store
    for model in reversed(MODELS):
        session.execute(model.__table__.delete())
    session.flush()
    import_path(session, path, actor="cli")
    after = bundle_from_db(session)
    for table, rows in before.items():
        key = (lambda r: r["id"])  # noqa: E731
        assert sorted(after[table], key=key) == sorted(rows, key=key), table
    shelter = session.scalars(select(DirService).where(DirService.name ==
                                                       "Houston Shelter House")).one()
    assert shelter.service_type == "shelter" and shelter.assurer_email == "sam@example.org"
    assert shelter.source == "test"
    areas = {(a.kind, a.value) for a in session.scalars(
        select(DirServiceArea).where(DirServiceArea.service_id == shelter.id))}
    assert areas == {("city", "TX/Houston"), ("zip", "770")}


def test_the_shipped_seed_is_valid_hsds():
    seed = Path(__file__).resolve().parents[3] / "data" / "directory" / "national.json"
    assert validate_path(seed) == []
    services = hsds_json.services_in(json.loads(seed.read_text()))
    assert all(any(a["link_type"] == "source" and a["value"] for a in s["attributes"])
               for s in services)
    assert all("assured_date" not in s for s in services)  # nobody has verified them yet


def test_cli_validate_import_export(db_url, tmp_path, monkeypatch, capsys):
    from bot.cli import main
    from bot.config import get_settings

    monkeypatch.setenv("HOTLINE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert main(["directory", "validate", str(FIXTURES / "csv")]) == 0
        assert "valid HSDS 3.0" in capsys.readouterr().out
        bad = tmp_path / "bad.json"
        bad.write_text('{"id": "x", "status": "active"}')
        assert main(["directory", "validate", str(bad)]) == 1
        assert "'name' is a required property" in capsys.readouterr().err
        assert main(["directory", "import", str(bad)]) == 1
        assert main(["directory", "import", str(tmp_path / "missing")]) == 1
        assert "no such file or folder" in capsys.readouterr().err
        assert main(["directory", "import", str(FIXTURES / "csv")]) == 0
        assert "row(s) added" in capsys.readouterr().out
        out = tmp_path / "out.json"
        assert main(["directory", "export", str(out)]) == 0
        names = {s["name"] for s in json.loads(out.read_text())["contents"]}
        assert {"Community Counselling", "National Human Trafficking Hotline"} <= names
        assert main(["directory", "export", str(tmp_path / "pkg")]) == 0
        assert (tmp_path / "pkg" / "services.csv").is_file()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("name", ["service_full.json", "service_list.json",
                                  "organization_full.json"])
def test_every_json_example_imports(session, name):
    result = import_path(session, FIXTURES / name, actor="cli")
    assert result.added.get("services", 0) + result.updated.get("services", 0) >= 1
    service = session.get(DirService, EXAMPLE_SERVICE)
    assert service is not None and service.organization_id == EXAMPLE_ORG
    again = import_path(session, FIXTURES / name, actor="cli")
    assert again.added == {}


def test_the_shipped_seed_follows_the_content_files():
    from bot.directory.seed import SEED_FILE, national_document

    assert json.loads(SEED_FILE.read_text(encoding="utf-8")) == national_document(), (
        "data/content/resources.yml changed: run `python -m bot.directory.seed`")
