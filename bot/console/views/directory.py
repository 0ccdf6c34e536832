"""The resource directory in the console (docs/directory.md).

Advocates search it while they talk to a texter (need, place, language, open
now) and pick a case's receiving organisation from the results; supervisors
and admins add, edit, verify, retire and restore entries and see what is stale
or unverified. Every search and every change is audited (ids, need and counts
only: never the place typed, which may be the texter's).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.console.auth import current_advocate, db, role_required, settings
from bot.content.loader import load_content
from bot.directory import edit, taxonomy
from bot.directory.areas import AreaKind
from bot.directory.lookup import Place, place_from_text, search
from bot.directory.status import ACTIVE, Freshness, freshness
from bot.store.audit import record_event
from bot.store.models import (
    DirLanguage,
    DirOrganization,
    DirPhone,
    DirService,
    DirServiceArea,
    ReferralCase,
)

bp = Blueprint("directory", __name__)

FRESHNESS_LABELS = {Freshness.CURRENT: "verified", Freshness.STALE: "stale",
                    Freshness.UNVERIFIED: "unverified"}
LANGUAGES = (("en", "English"), ("es", "Spanish"))


def _max_age() -> int:
    return settings().directory_max_age_days


def needs() -> list[tuple[str, str]]:
    return [(n.value, taxonomy.label(n, "en")) for n in taxonomy.Need]


def describe(s: Session, service: DirService, today: date) -> dict[str, Any]:
    """A service as the result and list rows show it."""
    org = s.get(DirOrganization, service.organization_id)
    phones = s.scalars(select(DirPhone).where(DirPhone.service_id == service.id))
    areas = s.scalars(select(DirServiceArea).where(DirServiceArea.service_id == service.id))
    langs = s.scalars(select(DirLanguage.code).where(DirLanguage.service_id == service.id))
    fresh = freshness(service, today, _max_age())
    return {
        "id": service.id, "name": service.name, "org_id": service.organization_id,
        "org": org.name if org else "", "need": taxonomy.label(service.service_type, "en")
        if service.service_type else "—",
        "phones": [f"{p.type or 'voice'} {p.number}" for p in phones],
        "areas": [a.name or a.extent or "" for a in areas],
        "languages": sorted(c for c in langs if c), "url": service.url,
        "status": service.status, "active": service.status == ACTIVE,
        "freshness": fresh.value, "freshness_label": FRESHNESS_LABELS[fresh],
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "assurer_email": service.assurer_email, "source": service.source,
        "description": service.description,
    }


def _case_for_pick(s: Session, raw: str | None) -> ReferralCase | None:
    if not raw or not raw.isdigit():
        return None
    return s.get(ReferralCase, int(raw))


@bp.get("/directory")
@role_required("advocate")
def index() -> str:
    """Search: need, place (state, ZIP, city), language, open now, words."""
    args = request.args
    need = taxonomy.parse_need(args.get("need"))
    where = (args.get("place") or "").strip()[:120]
    lang = args.get("lang") if args.get("lang") in dict(LANGUAGES) else None
    open_now = args.get("open_now") == "1"
    words = (args.get("q") or "").strip()[:120]
    show_all = args.get("all") == "1"
    searched = "need" in args or "place" in args or "q" in args
    today = datetime.now(timezone.utc).date()
    with db() as s:
        place = place_from_text(s, load_content(), where) if where else Place()
        matches = search(s, need=need, place=place, lang=lang, today=today,
                         max_age_days=_max_age(), only_offerable=not show_all,
                         open_at=datetime.now(timezone.utc) if open_now else None,
                         text=words, local_timezone=settings().timezone) if searched else []
        rows = [{**describe(s, m.service, today), "local": m.local, "speaks": m.speaks}
                for m in matches]
        case = _case_for_pick(s, args.get("case"))
        pick = {"id": case.id, "conversation_id": case.conversation_id,
                "receiving_org": case.receiving_org} if case else None
        if searched:
            record_event(s, "directory_search", advocate=current_advocate(),
                         case_id=case.id if case else None,
                         conversation_id=case.conversation_id if case else None,
                         need=need.value if need else None, place_given=bool(where),
                         place_found=place.known, lang=lang, open_now=open_now,
                         results=len(rows))
    return render_template(
        "directory/search.html", rows=rows, needs=needs(), languages=LANGUAGES,
        values={"need": need.value if need else "", "place": where, "lang": lang or "",
                "open_now": open_now, "q": words, "all": show_all},
        searched=searched, place=place, pick=pick,
        may_edit=edit.can_edit(current_advocate()))


@bp.get("/directory/review")
@role_required("supervisor")
def review() -> str:
    """What is stale, unverified or retired: the page staff work through."""
    today = datetime.now(timezone.utc).date()
    with db() as s:
        services = list(s.scalars(select(DirService).order_by(DirService.name)))
        rows = [describe(s, svc, today) for svc in services]
        record_event(s, "directory_review", advocate=current_advocate(), count=len(rows))
    groups = {
        "stale": [r for r in rows if r["active"] and r["freshness"] == Freshness.STALE.value],
        "unverified": [r for r in rows if r["active"]
                       and r["freshness"] == Freshness.UNVERIFIED.value],
        "retired": [r for r in rows if not r["active"]],
    }
    current = sum(1 for r in rows if r["active"] and r["freshness"] == Freshness.CURRENT.value)
    return render_template("directory/review.html", groups=groups, current=current,
                           max_age=_max_age())


# --------------------------------------------------------------------------- edits


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()]


def _form_from_request() -> edit.ServiceForm:
    """The add/edit form: phones per type, areas and hours one per line."""
    f = request.form
    phones = [(kind, number.strip()) for kind in edit.PHONE_TYPES
              for number in f.get(f"phone_{kind}", "").split(",") if number.strip()]
    areas = []
    for line in _lines("areas"):
        kind, _, value = line.partition(" ")
        areas.append((kind.strip().lower(), value.strip()))
    hours = []
    for line in _lines("hours"):
        days, _, rest = line.partition(" ")
        span, _, zone = rest.strip().partition(" ")
        opens, _, closes = span.strip().partition("-")
        hours.append((days.strip(), opens.strip(), closes.strip(), zone.strip()))
    languages = [c for c in f.getlist("languages") if c]
    languages += [c.strip().lower() for c in f.get("other_languages", "").split(",")
                  if c.strip()]
    return edit.ServiceForm(
        organization_name=f.get("organization_name", "")[:255], name=f.get("name", "")[:255],
        need=f.get("need", ""), description=f.get("description", "")[:4000],
        url=f.get("url", "")[:255], email=f.get("email", "")[:255], phones=phones,
        areas=areas, languages=languages, hours=hours,
        eligibility=f.get("eligibility", "")[:4000], source=f.get("source", "")[:1000])


def _form_values(form: edit.ServiceForm) -> dict[str, Any]:
    return {
        "organization_name": form.organization_name, "name": form.name, "need": form.need,
        "description": form.description, "url": form.url, "email": form.email,
        **{f"phone_{kind}": ", ".join(n for k, n in form.phones if k == kind)
           for kind in edit.PHONE_TYPES},
        "areas": "\n".join(f"{k} {v}" for k, v in form.areas),
        "hours": "\n".join(f"{d} {o}-{c} {z}".rstrip() for d, o, c, z in form.hours),
        "languages": [c for c in form.languages if c in dict(LANGUAGES)],
        "other_languages": ", ".join(c for c in form.languages if c not in dict(LANGUAGES)),
        "eligibility": form.eligibility, "source": form.source,
    }


def _edit_page(values: dict[str, Any], service_id: str | None, error: str | None = None,
               status: int = 200) -> tuple[str, int]:
    return render_template("directory/edit.html", values=values, service_id=service_id,
                           needs=needs(), languages=LANGUAGES, error=error,
                           area_kinds=[k.value for k in AreaKind],
                           phone_types=edit.PHONE_TYPES), status


@bp.get("/directory/new")
@role_required("supervisor")
def new() -> tuple[str, int]:
    return _edit_page({"areas": "", "hours": "", "languages": []}, None)


@bp.post("/directory/new")
@role_required("supervisor")
def create() -> Response | tuple[str, int]:
    form = _form_from_request()
    try:
        with db() as s:
            service = edit.add_service(s, form, current_advocate())
            service_id = service.id
    except edit.DirectoryError as exc:
        return _edit_page(_form_values(form), None, error=str(exc), status=400)
    flash("Entry added. It reaches texters once it is verified.", "success")
    return redirect(url_for("directory.show", service_id=service_id), code=303)


def _service_or_404(s: Session, service_id: str) -> DirService:
    service = s.get(DirService, service_id)
    if service is None:
        abort(404)
    return service


@bp.get("/directory/<service_id>")
@role_required("advocate")
def show(service_id: str) -> str:
    today = datetime.now(timezone.utc).date()
    with db() as s:
        row = describe(s, _service_or_404(s, service_id), today)
    return render_template("directory/show.html", row=row,
                           may_edit=edit.can_edit(current_advocate()))


@bp.get("/directory/<service_id>/edit")
@role_required("supervisor")
def edit_form(service_id: str) -> tuple[str, int]:
    with db() as s:
        values = _form_values(edit.form_of(s, _service_or_404(s, service_id)))
    return _edit_page(values, service_id)


@bp.post("/directory/<service_id>/edit")
@role_required("supervisor")
def update(service_id: str) -> Response | tuple[str, int]:
    form = _form_from_request()
    try:
        with db() as s:
            edit.edit_service(s, _service_or_404(s, service_id), form, current_advocate())
    except edit.DirectoryError as exc:
        return _edit_page(_form_values(form), service_id, error=str(exc), status=400)
    flash("Entry saved. Verify it again once the change is checked.", "success")
    return redirect(url_for("directory.show", service_id=service_id), code=303)


def _change(service_id: str, action: Any, done: str) -> Response:
    try:
        with db() as s:
            action(s, _service_or_404(s, service_id))
    except edit.DirectoryError as exc:
        flash(str(exc)[:1].upper() + str(exc)[1:] + ".", "error")
    else:
        flash(done, "success")
    back = request.form.get("next", "")
    if not back.startswith("/") or back.startswith("//"):  # only our own pages
        back = url_for("directory.show", service_id=service_id)
    return redirect(back, code=303)


@bp.post("/directory/<service_id>/verify")
@role_required("supervisor")
def verify(service_id: str) -> Response:
    email = request.form.get("assurer_email", "")[:255]
    return _change(service_id, lambda s, svc: edit.verify_service(
        s, svc, current_advocate(), assurer_email=email), "Verified today.")


@bp.post("/directory/<service_id>/retire")
@role_required("supervisor")
def retire(service_id: str) -> Response:
    status = request.form.get("status", "inactive")
    return _change(service_id, lambda s, svc: edit.retire_service(
        s, svc, current_advocate(), status=status), "Retired: no longer offered.")


@bp.post("/directory/<service_id>/restore")
@role_required("supervisor")
def restore(service_id: str) -> Response:
    return _change(service_id, lambda s, svc: edit.restore_service(s, svc, current_advocate()),
                   "Restored. Verify it before it reaches texters.")


# --------------------------------------------------------------------------- HSDS files


@bp.get("/directory/export.json")
@role_required("supervisor")
def export_json() -> Response:
    """Every entry as HSDS 3.0 JSON (the same file `hotline directory export` writes)."""
    import json

    from bot.directory.bundle import bundle_from_db
    from bot.directory.hsds_json import page, services_from_bundle

    with db() as s:
        bundle = bundle_from_db(s)
        record_event(s, "directory_export", advocate=current_advocate(), form="json",
                     services=len(bundle["services"]))
    body = json.dumps(page(services_from_bundle(bundle)), ensure_ascii=False, indent=2)
    return FlaskResponse(body + "\n", mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=directory-hsds.json"})


# The console refuses larger requests anyway (MAX_CONTENT_LENGTH, 1 MB): a bigger
# partner list goes through `hotline directory import`.
MAX_UPLOAD = 1024 * 1024


def _unpack_upload(upload: Any, folder: Path) -> Path:
    """The uploaded HSDS file on disk: a .json file, or a .zip of the CSV package
    (only the package's own file names are taken from it, flat)."""
    import zipfile

    from bot.directory.hsds_csv import FILE_NAMES

    name = (upload.filename or "").lower()
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise edit.DirectoryError("the file is larger than 1 MB; use hotline directory import")
    if name.endswith(".json"):
        path = folder / "upload.json"
        path.write_bytes(data)
        return path
    if name.endswith(".zip"):
        import io

        wanted = set(FILE_NAMES.values())
        package = folder / "package"
        package.mkdir()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    base = Path(info.filename).name
                    if base in wanted and info.file_size <= MAX_UPLOAD:
                        (package / base).write_bytes(archive.read(info))
        except zipfile.BadZipFile as exc:
            raise edit.DirectoryError("the .zip file cannot be read") from exc
        return package
    raise edit.DirectoryError("upload an HSDS .json file or a .zip of the CSV data package")


@bp.post("/directory/import")
@role_required("supervisor")
def import_file() -> Response | tuple[str, int]:
    """Validate an uploaded partner list, then add or update entries by HSDS id."""
    import tempfile

    from bot.directory.transfer import TransferError, import_path

    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Pick a file to import.", "error")
        return redirect(url_for("directory.review"), code=303)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = _unpack_upload(upload, Path(tmp))
            with db() as s:
                result = import_path(s, path, advocate=current_advocate())
    except TransferError as exc:
        return render_template("directory/import_errors.html", message=str(exc),
                               errors=exc.errors), 400
    except edit.DirectoryError as exc:
        flash(str(exc)[:1].upper() + str(exc)[1:] + ".", "error")
        return redirect(url_for("directory.review"), code=303)
    flash(f"Imported: {sum(result.added.values())} row(s) added, "
          f"{sum(result.updated.values())} updated, {len(result.skipped)} skipped. "
          "Imported entries keep the partner's verification dates; check them here.",
          "success")
    return redirect(url_for("directory.review"), code=303)
