"""resource directory (Open Referral HSDS 3.0): organizations, services, locations,
phones, languages, schedules, service areas; national seed entries

Issue 14. The tables follow HSDS 3.0 (bot/store/models.py Dir*). The shipped
national entries (data/directory/national.json, unverified) are inserted here,
and referral cases / consents that named a content resource id
("national_hotline") now name that entry's organisation id (uuid5, see
bot/directory/seed.py). Local entries are never shipped.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-02 03:20:00.000000
"""
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0009'
branch_labels = None
depends_on = None

SEED = Path(__file__).resolve().parents[4] / "data" / "directory" / "national.json"
_NS = uuid.UUID("3f0f7d44-2b1e-4f7b-8d3c-6c1b0e9a5d10")
_RESOURCE_IDS = ("national_hotline", "emergency_911", "ncmec", "dol_whd", "eeoc",
                 "lifeline_988", "fbi_tips", "dhs_hsi", "dv_hotline", "childhelp",
                 "immigration_legal")


def _fk(table, name):
    return sa.ForeignKey(f"{table}.id", name=name, ondelete="CASCADE")


def _id():
    return sa.Column('id', sa.String(length=36), primary_key=True)


def upgrade() -> None:
    op.create_table(
        'dir_organizations', _id(),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('alternate_name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=True),
        sa.Column('website', sa.String(length=255), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False))
    op.create_table(
        'dir_services', _id(),
        sa.Column('organization_id', sa.String(length=36),
                  _fk('dir_organizations', 'fk_dir_service_org'), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('alternate_name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('url', sa.String(length=255), nullable=True),
        sa.Column('email', sa.String(length=255), nullable=True),
        sa.Column('status', sa.String(length=24), nullable=False),
        sa.Column('service_type', sa.String(length=32), nullable=True),
        sa.Column('interpretation_services', sa.Text(), nullable=True),
        sa.Column('application_process', sa.Text(), nullable=True),
        sa.Column('fees_description', sa.Text(), nullable=True),
        sa.Column('eligibility_description', sa.Text(), nullable=True),
        sa.Column('minimum_age', sa.Integer(), nullable=True),
        sa.Column('maximum_age', sa.Integer(), nullable=True),
        sa.Column('assured_date', sa.Date(), nullable=True),
        sa.Column('assurer_email', sa.String(length=255), nullable=True),
        sa.Column('source', sa.Text(), nullable=True),
        sa.Column('last_modified', sa.DateTime(timezone=True), nullable=False))
    op.create_index('ix_dir_services_organization_id', 'dir_services', ['organization_id'])
    op.create_index('ix_dir_services_status', 'dir_services', ['status'])
    op.create_index('ix_dir_services_service_type', 'dir_services', ['service_type'])
    op.create_table(
        'dir_locations', _id(),
        sa.Column('organization_id', sa.String(length=36),
                  _fk('dir_organizations', 'fk_dir_location_org'), nullable=True),
        sa.Column('location_type', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('address_id', sa.String(length=36), nullable=True),
        sa.Column('address_1', sa.String(length=255), nullable=True),
        sa.Column('address_2', sa.String(length=255), nullable=True),
        sa.Column('city', sa.String(length=128), nullable=True),
        sa.Column('region', sa.String(length=128), nullable=True),
        sa.Column('state_province', sa.String(length=64), nullable=True),
        sa.Column('postal_code', sa.String(length=16), nullable=True),
        sa.Column('country', sa.String(length=2), nullable=True),
        sa.Column('address_type', sa.String(length=16), nullable=True))
    op.create_index('ix_dir_locations_organization_id', 'dir_locations', ['organization_id'])
    op.create_table(
        'dir_service_at_location', _id(),
        sa.Column('service_id', sa.String(length=36), _fk('dir_services', 'fk_dir_sal_service'),
                  nullable=False),
        sa.Column('location_id', sa.String(length=36),
                  _fk('dir_locations', 'fk_dir_sal_location'), nullable=False),
        sa.Column('description', sa.Text(), nullable=True))
    op.create_index('ix_dir_service_at_location_service_id', 'dir_service_at_location',
                    ['service_id'])
    op.create_index('ix_dir_service_at_location_location_id', 'dir_service_at_location',
                    ['location_id'])
    op.create_table(
        'dir_phones', _id(),
        sa.Column('service_id', sa.String(length=36), _fk('dir_services', 'fk_dir_phone_service'),
                  nullable=True),
        sa.Column('organization_id', sa.String(length=36),
                  _fk('dir_organizations', 'fk_dir_phone_org'), nullable=True),
        sa.Column('location_id', sa.String(length=36),
                  _fk('dir_locations', 'fk_dir_phone_location'), nullable=True),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('extension', sa.Integer(), nullable=True),
        sa.Column('type', sa.String(length=16), nullable=True),
        sa.Column('description', sa.Text(), nullable=True))
    for col in ('service_id', 'organization_id', 'location_id'):
        op.create_index(f'ix_dir_phones_{col}', 'dir_phones', [col])
    op.create_table(
        'dir_languages', _id(),
        sa.Column('service_id', sa.String(length=36),
                  _fk('dir_services', 'fk_dir_language_service'), nullable=True),
        sa.Column('location_id', sa.String(length=36),
                  _fk('dir_locations', 'fk_dir_language_location'), nullable=True),
        sa.Column('phone_id', sa.String(length=36), _fk('dir_phones', 'fk_dir_language_phone'),
                  nullable=True),
        sa.Column('name', sa.String(length=64), nullable=True),
        sa.Column('code', sa.String(length=8), nullable=True),
        sa.Column('note', sa.Text(), nullable=True))
    op.create_index('ix_dir_languages_service_id', 'dir_languages', ['service_id'])
    op.create_index('ix_dir_languages_code', 'dir_languages', ['code'])
    op.create_table(
        'dir_schedules', _id(),
        sa.Column('service_id', sa.String(length=36),
                  _fk('dir_services', 'fk_dir_schedule_service'), nullable=True),
        sa.Column('location_id', sa.String(length=36),
                  _fk('dir_locations', 'fk_dir_schedule_location'), nullable=True),
        sa.Column('freq', sa.String(length=8), nullable=True),
        sa.Column('byday', sa.String(length=32), nullable=True),
        sa.Column('opens_at', sa.String(length=8), nullable=True),
        sa.Column('closes_at', sa.String(length=8), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('timezone', sa.Float(), nullable=True))
    op.create_index('ix_dir_schedules_service_id', 'dir_schedules', ['service_id'])
    op.create_table(
        'dir_service_areas', _id(),
        sa.Column('service_id', sa.String(length=36), _fk('dir_services', 'fk_dir_area_service'),
                  nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=True),
        sa.Column('value', sa.String(length=128), nullable=True),
        sa.Column('name', sa.String(length=255), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('extent', sa.Text(), nullable=True),
        sa.Column('extent_type', sa.String(length=32), nullable=True),
        sa.Column('uri', sa.String(length=255), nullable=True))
    for col in ('service_id', 'kind', 'value'):
        op.create_index(f'ix_dir_service_areas_{col}', 'dir_service_areas', [col])
    _seed()
    _map_receiving_orgs()


def _table(name, *columns):
    return sa.table(name, *(sa.column(c) for c in columns))


def _seed() -> None:
    """Insert the shipped national entries (only the shapes national.json uses)."""
    contents = json.loads(SEED.read_text(encoding="utf-8"))["contents"]
    now = datetime.now(timezone.utc)
    orgs, services, phones, langs, scheds, areas = [], [], [], [], [], []
    for svc in contents:
        org = svc["organization"]
        orgs.append({"id": org["id"], "name": org["name"],
                     "alternate_name": org.get("alternate_name"),
                     "description": org.get("description", ""), "created_at": now,
                     "updated_at": now})
        need = next((a["value"] for a in svc.get("attributes", [])
                     if a.get("link_type") == "service_type"), None)
        source = next((a["value"] for a in svc.get("attributes", [])
                       if a.get("link_type") == "source"), None)
        services.append({"id": svc["id"], "organization_id": org["id"], "name": svc["name"],
                         "alternate_name": svc.get("alternate_name"),
                         "description": svc.get("description"), "url": svc.get("url"),
                         "status": svc["status"], "service_type": need, "source": source,
                         "last_modified": now})
        for p in svc.get("phones", []):
            phones.append({"id": p["id"], "service_id": svc["id"], "number": p["number"],
                           "type": p.get("type")})
        for lang in svc.get("languages", []):
            langs.append({"id": lang["id"], "service_id": svc["id"], "code": lang.get("code"),
                          "name": lang.get("name")})
        for s in svc.get("schedules", []):
            scheds.append({"id": s["id"], "service_id": svc["id"], "freq": s.get("freq"),
                           "byday": s.get("byday"), "opens_at": s.get("opens_at"),
                           "closes_at": s.get("closes_at"), "description": s.get("description")})
        for a in svc.get("service_areas", []):
            kind, _, value = a["extent"].partition("=")
            areas.append({"id": a["id"], "service_id": svc["id"], "kind": kind, "value": value,
                          "name": a.get("name"), "extent": a["extent"],
                          "extent_type": a["extent_type"]})
    op.bulk_insert(_table('dir_organizations', 'id', 'name', 'alternate_name', 'description',
                          'created_at', 'updated_at'), orgs)
    op.bulk_insert(_table('dir_services', 'id', 'organization_id', 'name', 'alternate_name',
                          'description', 'url', 'status', 'service_type', 'source',
                          'last_modified'), services)
    op.bulk_insert(_table('dir_phones', 'id', 'service_id', 'number', 'type'), phones)
    op.bulk_insert(_table('dir_languages', 'id', 'service_id', 'code', 'name'), langs)
    op.bulk_insert(_table('dir_schedules', 'id', 'service_id', 'freq', 'byday', 'opens_at',
                          'closes_at', 'description'), scheds)
    op.bulk_insert(_table('dir_service_areas', 'id', 'service_id', 'kind', 'value', 'name',
                          'extent', 'extent_type'), areas)


def _map_receiving_orgs(reverse: bool = False) -> None:
    for rid in _RESOURCE_IDS:
        new = str(uuid.uuid5(_NS, f"organization:{rid}"))
        old_value, new_value = (new, rid) if reverse else (rid, new)
        for table in ('referral_cases', 'referral_consents'):
            op.execute(sa.text(f"UPDATE {table} SET receiving_org = :new "
                               f"WHERE receiving_org = :old").bindparams(new=new_value,
                                                                         old=old_value))


def downgrade() -> None:
    _map_receiving_orgs(reverse=True)
    for name in ('dir_service_areas', 'dir_schedules', 'dir_languages', 'dir_phones',
                 'dir_service_at_location', 'dir_locations', 'dir_services',
                 'dir_organizations'):
        op.drop_table(name)
