"""Django glue for the pipeline: texts become sources with suggestions, and a
person's decision turns a suggestion into a record (or rejects it)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from nghiquyet.accounts.access import has_role, path_q, scope_paths
from nghiquyet.accounts.models import Role
from nghiquyet.audit.actions import record
from nghiquyet.core.numbers import format_number
from nghiquyet.core.periods import Period, PeriodError, parse_period, parse_period_key
from nghiquyet.core.text import fold, normalize_name
from nghiquyet.core.uploads import UploadTooLarge, max_upload_bytes, too_large_message
from nghiquyet.core.zipguard import check_docx
from nghiquyet.documents.actions import do_create_document
from nghiquyet.documents.models import Document
from nghiquyet.documents.signs import SignError, kind_label, parse_sign
from nghiquyet.ingestion.pipeline import DecodeError, decode_bytes, extract
from nghiquyet.ingestion.pipeline.lexicon import expand_abbreviations
from nghiquyet.meetings.actions import do_create_meeting
from nghiquyet.meetings.models import Meeting, MeetingKind, Participant
from nghiquyet.orgs.actions import do_add_position, do_create_person, do_merge_units
from nghiquyet.orgs.models import OrgUnit, Person, UnitKind
from nghiquyet.targets.actions import StaleResultError, do_save_result
from nghiquyet.targets.models import Result

from .access import matchable_documents, matching_paths, people_in_scope
from .models import Source, Suggestion


def read_upload(data: bytes, name: str = "") -> tuple[str, str, str, dict]:
    """Decode an upload into (text, file kind, encoding, hints): plain text in
    any supported encoding, an HTML page, or a Word .docx (its paragraphs and tables)."""
    if len(data) > max_upload_bytes():
        raise UploadTooLarge(too_large_message())
    if data[:4] == b"PK\x03\x04":
        check_docx(data)  # sizes, ratios, elements and DTDs, before zipfile or python-docx reads it
    if data[:2] == b"PK" and (name.lower().endswith(".docx") or _is_docx(data)):
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:
            raise ValidationError(
                "Không mở được tệp Word (.docx): tệp hỏng hoặc không đúng định dạng."
            ) from None
        return _docx_text(document), "docx", "docx", {}
    try:
        decoded = decode_bytes(data, name=name)
    except DecodeError:
        # The pipeline's reason is for engineers (English); the person gets this.
        raise ValidationError(
            "Không đọc được tệp thành văn bản: tệp không phải văn bản (.txt), trang web (.html) "
            "hay Word (.docx), hoặc dùng bảng mã không nhận ra."
        ) from None
    return decoded.text, "html" if decoded.is_html else "text", decoded.encoding, decoded.hints


def _docx_text(document) -> str:
    """The paragraphs and the tables of a Word document, in their order: an
    office's report gives its figures in tables. A table row is one line,
    its cells (a merged cell once) joined by spaces ("Kết nạp 125 đảng viên")."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):
                        cells.append(value)
                if cells:
                    lines.append(" ".join(cells))
    return "\n".join(lines)


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "word/document.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def do_ingest(
    data: bytes,
    *,
    name: str = "",
    origin: str = "",
    unit: OrgUnit | None = None,
    acting_user,
) -> tuple[Source, bool]:
    """Read a file into a Source of ``unit`` and its Suggestions. The same
    text twice for one unit is one source: the second call returns the first
    with ``False``. Another unit receiving the same text gets its own source
    (sources are scoped by unit; nothing says another unit has the text)."""
    text, file_kind, encoding, hints = read_upload(data, name)
    if not text.strip():
        raise ValidationError("Tệp không có nội dung văn bản.")
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    same = Source.objects.filter(text_hash=text_hash, unit=unit)
    existing = same.first()
    if existing is not None:
        return existing, False
    facts = extract(text, name or None, hints=hints)
    try:
        with transaction.atomic():
            source = _store_source(
                text, text_hash, facts, name, origin, file_kind, encoding, unit, acting_user
            )
    except IntegrityError:
        # The same text was stored for the same unit meanwhile: that one it is.
        existing = same.first()
        if existing is None:
            raise
        return existing, False
    return source, True


def _store_source(text, text_hash, facts, name, origin, file_kind, encoding, unit, acting_user) -> Source:
    source = Source.objects.create(
        title=(facts.get("title") or name or "")[:500],
        origin=origin or name,
        file_kind=file_kind,
        encoding=encoding,
        text=text,
        text_hash=text_hash,
        published=facts.get("published") or "",
        authors=facts.get("authors") or [],
        unit=unit,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    rows = []
    for kind, key in (
        (Suggestion.Kind.MEETING, "meetings"),
        (Suggestion.Kind.DOCUMENT, "documents"),
        (Suggestion.Kind.DOCUMENT, "named_documents"),
        (Suggestion.Kind.PERSON, "people"),
        (Suggestion.Kind.FIGURE, "figures"),
        (Suggestion.Kind.MERGE, "merges"),
    ):
        for fact in facts.get(key) or []:
            spans = fact.get("spans") or [fact.get("span")]
            start, end = spans[0]
            if not 0 <= start <= end <= len(text):
                continue  # never keep a fact that points outside its text
            rows.append(Suggestion(source=source, kind=kind, data=fact, span_start=start, span_end=end))
    rows.sort(key=lambda s: (s.span_start, s.kind))
    for i, s in enumerate(rows):
        s.order = i
    Suggestion.objects.bulk_create(rows)
    record("ingest_source", source, acting_user=acting_user, after={"suggestions": len(rows)}, unit=unit)
    return source


def do_reject_suggestion(suggestion: Suggestion, *, reason: str, acting_user) -> Suggestion:
    """Reject a suggestion, keeping the reason."""
    if not reason.strip():
        raise ValidationError("Cần ghi lý do loại dữ kiện.")
    with transaction.atomic():
        suggestion = _lock_pending(suggestion)
        suggestion.status = Suggestion.Status.REJECTED
        suggestion.reason = reason.strip()
        _decided(suggestion, acting_user)
        suggestion.save()
        _maybe_close(suggestion.source)
        record("reject_suggestion", suggestion, acting_user=acting_user, unit=suggestion.source.unit)
    return suggestion


def do_accept_suggestion(
    suggestion: Suggestion,
    *,
    acting_user,
    edits: dict | None = None,
    unit: OrgUnit | None = None,
    target=None,
    period=None,
    effective: dt.date | None = None,
    expected_version: int | None = None,
):
    """Accept a suggestion (with a person's ``edits`` to its data): create or
    link the real record and note the source on it. Known people and
    documents are linked, not duplicated, but only those inside the user's
    scope (see ``access.matching_paths``). Returns the record.

    ``unit`` is the organiser of a meeting, the unit of a figure, the issuing
    unit of a new document, the scope of a merge; a figure also needs
    ``target`` and ``period`` and ``expected_version``, the version of the
    result the person saw (0 or None: there was none); a merge needs
    ``effective``.
    """
    with transaction.atomic():
        suggestion = _lock_pending(suggestion)
        data = {**suggestion.data, **(edits or {})}
        handler = {
            Suggestion.Kind.PERSON: _accept_person,
            Suggestion.Kind.DOCUMENT: _accept_document,
            Suggestion.Kind.MEETING: _accept_meeting,
            Suggestion.Kind.FIGURE: _accept_figure,
            Suggestion.Kind.MERGE: _accept_merge,
        }[suggestion.kind]
        obj, created = handler(
            data,
            suggestion=suggestion,
            acting_user=acting_user,
            unit=unit or suggestion.source.unit,
            chosen_unit=unit,
            target=target,
            period=period,
            effective=effective,
            expected_version=expected_version,
        )
        suggestion.data = data
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.record_type = obj._meta.label_lower
        suggestion.record_id = str(obj.pk)
        suggestion.created_record = created
        _decided(suggestion, acting_user)
        suggestion.save()
        _maybe_close(suggestion.source)
        record(
            "accept_suggestion",
            suggestion,
            acting_user=acting_user,
            after={"record": f"{suggestion.record_type}:{obj.pk}", "created": created},
            unit=suggestion.source.unit,
        )
    return obj


def sources_of(obj) -> list[Source]:
    """The sources a record came from or was confirmed by."""
    ids = Suggestion.objects.filter(
        record_type=obj._meta.label_lower, record_id=str(obj.pk), status=Suggestion.Status.ACCEPTED
    ).values_list("source_id", flat=True)
    return list(Source.objects.filter(pk__in=ids))


# -- helpers ------------------------------------------------------------------------


def _lock_pending(suggestion: Suggestion) -> Suggestion:
    s = Suggestion.objects.select_for_update().select_related("source").get(pk=suggestion.pk)
    if s.status != Suggestion.Status.PENDING:
        raise ValidationError(f"Dữ kiện này đã được xử lý ({s.get_status_display().lower()}).")
    return s


def _decided(suggestion: Suggestion, acting_user) -> None:
    suggestion.decided_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    suggestion.decided_at = timezone.now()


def _maybe_close(source: Source) -> None:
    if not source.suggestions.filter(status=Suggestion.Status.PENDING).exists():
        Source.objects.filter(pk=source.pk).update(status=Source.Status.REVIEWED)


def title_key(title: str) -> str:
    """Compare titles after tone style, case and abbreviations: "Chủ tịch
    UBND tỉnh" and "Chủ tịch Ủy ban nhân dân tỉnh" are one title."""
    return normalize_name(expand_abbreviations(title))


def find_person(name: str, paths: list[str] | None = None) -> Person | None:
    """The one person with this name ("Tỉnh uỷ"/"Tỉnh ủy" spellings agree)
    known inside the subtrees ``paths`` (None: anywhere); namesakes
    elsewhere are neither linked nor counted."""
    candidates = Person.objects.filter(name_key=normalize_name(name))
    if paths is not None:
        candidates = people_in_scope(candidates, paths)
    matches = list(candidates[:2])
    return matches[0] if len(matches) == 1 else None


def _accept_person(data, *, suggestion, acting_user, unit, **_):
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        raise ValidationError("Chưa có họ tên.")
    person = find_person(name, matching_paths(acting_user, suggestion.source))
    created = person is None
    if created:
        person = do_create_person(full_name=name, acting_user=acting_user)
    held = {title_key(t) for t in person.positions.values_list("title", flat=True)}
    start = _iso_date(suggestion.source.published)
    for title in data.get("titles") or []:
        if title_key(title) not in held:
            do_add_position(person, title=title, unit=None, start=start, acting_user=acting_user)
            held.add(title_key(title))
    return person, created


def find_document(data: dict, documents=None) -> Document | None:
    """A known document among ``documents`` (default: all): by its sign,
    else by kind and number when exactly one matches (a short mention
    "Kết luận số 24" of a known 24-KL/TW), else by its title."""
    docs = Document.objects.all() if documents is None else documents
    symbol = data.get("symbol")
    if symbol:
        try:
            sign = parse_sign(symbol).format()
        except SignError:
            sign = symbol
        doc = docs.filter(sign=sign).first()
        if doc:
            return doc
    if data.get("number") and data.get("kind"):
        matches = list(docs.filter(kind=data["kind"], number=data["number"])[:2])
        if len(matches) == 1 and (not symbol or not matches[0].sign):
            return matches[0]
    title = data.get("title")
    if title:
        matches = list(docs.filter(title_key=normalize_name(title))[:2])
        if len(matches) == 1:
            return matches[0]
    return None


# The committee a Party sign's issuer part names ("79-CTr/TU": a province's).
_SIGN_ISSUERS = {
    "TW": (UnitKind.CENTRAL,),
    "TU": (UnitKind.PROVINCE,),
    "HU": (UnitKind.DISTRICT,),
    "ĐU": (UnitKind.COMMUNE, UnitKind.GRASSROOTS, UnitKind.BLOC),
}


def issuing_unit_for(data: dict, source: Source, acting_user) -> OrgUnit | None:
    """The unit a new document from ``source`` is filed under: the committee
    its sign names, found on the line of the receiving unit ("/TU" from a
    commune's article: its province) if the user may report for it, else
    the receiving unit. Never looked up outside the user's scope."""
    received = source.unit
    kinds: tuple = ()
    try:
        sign = parse_sign(data.get("symbol") or "")
        if sign.style == "party":
            kinds = _SIGN_ISSUERS.get(sign.issuer_abbr.upper(), ())
    except SignError:
        pass
    if received is not None and kinds:
        line = list(received.ancestors()) + [received]
        for candidate in reversed(line):  # nearest first
            if candidate.kind in kinds and _may_file(acting_user, candidate):
                return candidate
    return received


def _may_file(acting_user, unit: OrgUnit) -> bool:
    return acting_user is None or has_role(acting_user, unit, Role.REPORTER)


def _accept_document(data, *, suggestion, acting_user, chosen_unit, **_):
    doc = find_document(data, matchable_documents(acting_user, suggestion.source))
    if doc is not None:
        return doc, False
    kind = data.get("kind") or _kind_from_title(data.get("title") or "")
    if not kind:
        raise ValidationError("Chưa xác định được loại văn bản; vui lòng chọn loại trước khi chấp nhận.")
    issuing_unit = chosen_unit or issuing_unit_for(data, suggestion.source, acting_user)
    if issuing_unit is None and acting_user is not None and scope_paths(acting_user) != [""]:
        raise ValidationError("Chọn đơn vị ban hành văn bản (trong phạm vi của đồng chí).")
    if issuing_unit is not None and not _may_file(acting_user, issuing_unit):
        raise ValidationError("Đơn vị ban hành không hợp lệ hoặc đồng chí không có quyền.")
    symbol = data.get("symbol") or ""
    label = data.get("title") or f"{kind_label(kind)} số {symbol or data.get('number') or ''}".strip()
    doc = do_create_document(
        kind=kind,
        title=label,
        sign=symbol,
        number=str(data.get("number") or ""),
        issuing_unit=issuing_unit,
        issuer_name=data.get("issuer") or "",
        issued=_iso_date(data.get("issued")),
        acting_user=acting_user,
    )
    # documents.access caches what the user may read for the request: the
    # matching above filled it before this document existed.
    if acting_user is not None:
        acting_user.__dict__.pop("_nq_document_ids", None)
    return doc, True


def _kind_from_title(title: str) -> str | None:
    from nghiquyet.documents.signs import DOCUMENT_KINDS

    folded = fold(title)
    for code, label in sorted(DOCUMENT_KINDS, key=lambda kv: -len(kv[1])):
        if folded.startswith(fold(label)):
            return code
    return None


def meeting_kind(title: str) -> str:
    t = fold(title)
    if "ban chap hanh" in t:
        return MeetingKind.EXECUTIVE
    if "ban thuong vu" in t:
        return MeetingKind.STANDING
    if "duyet" in t and "dai hoi" in t:
        return MeetingKind.PILOT_CONGRESS
    if "dai hoi" in t:
        return MeetingKind.CONGRESS
    if "so ket" in t or "tong ket" in t:
        return MeetingKind.REVIEW
    if "lam viec" in t:
        return MeetingKind.WORKING
    return MeetingKind.OTHER


def _check_unit(acting_user, unit: OrgUnit, min_role: str = Role.REPORTER) -> None:
    # The views and the API offer only the user's units; a script or a
    # future page must not write elsewhere either.
    if acting_user is not None and not has_role(acting_user, unit, min_role):
        raise ValidationError("Đơn vị không hợp lệ hoặc đồng chí không có quyền.")


def _accept_meeting(data, *, suggestion, acting_user, unit, **_):
    if unit is None:
        raise ValidationError("Chọn đơn vị tổ chức hội nghị trước khi chấp nhận.")
    _check_unit(acting_user, unit)
    day = _iso_date(data.get("date"))
    if day is None:
        raise ValidationError("Chưa có ngày họp đầy đủ (ngày/tháng/năm); vui lòng sửa trước khi chấp nhận.")
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        raise ValidationError("Chưa có tên hội nghị.")
    existing = [
        m
        for m in Meeting.objects.filter(organiser=unit, date=day)
        if normalize_name(m.title) == normalize_name(title)
    ]
    if existing:
        return existing[0], False
    paths = matching_paths(acting_user, suggestion.source)
    bridge = data.get("bridge_points")
    chairs = [
        (
            find_person(name, paths) or do_create_person(full_name=name, acting_user=acting_user),
            Participant.Role.CHAIR,
            "",
        )
        for name in data.get("chairs") or []
    ]
    meeting = do_create_meeting(
        kind=meeting_kind(title),
        title=title,
        date=day,
        organiser=unit,
        online=bool(data.get("online")),
        bridge_points=int(bridge) if bridge else None,
        participants=chairs,
        acting_user=acting_user,
    )
    return meeting, True


class FigureConflict(StaleResultError):
    """The result a figure would be written into is not the one the person
    saw (it exists, or has changed since). ``version`` is its version now."""

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.version = version


def _as_period(period) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period_key(str(period))
    except (PeriodError, ValueError):
        try:
            return parse_period(str(period))
        except (PeriodError, ValueError):
            raise ValidationError(f"Kỳ “{period}” không hợp lệ.") from None


def _conflict(target, unit: OrgUnit, period: Period) -> FigureConflict:
    """The conflict message, showing the result as it is now."""
    now = Result.objects.filter(target=target, unit=unit, period_key=period.key()).first()
    if now is None:
        return FigureConflict(
            f"Chưa ghi: số liệu “{target.name}” của {unit.name}, {period.label} vừa bị xóa; "
            "vui lòng xem lại rồi chấp nhận lần nữa.",
            0,
        )
    value = format_number(now.value) if now.value is not None else "trống"
    measure = f" {target.measure}" if target.measure else ""
    return FigureConflict(
        f"Chưa ghi: số liệu “{target.name}” của {unit.name}, {period.label} đã có giá trị "
        f"{value}{measure} ({now.get_status_display().lower()}), khác với lúc đồng chí xem. "
        "Xem lại; nếu vẫn muốn thay bằng số liệu trong bài, bấm chấp nhận lần nữa.",
        now.version,
    )


def _accept_figure(data, *, acting_user, unit, target, period, expected_version, **_):
    if target is None or unit is None or period is None:
        raise ValidationError("Chọn chỉ tiêu, đơn vị và kỳ báo cáo cho số liệu này.")
    _check_unit(acting_user, unit)
    period = _as_period(period)
    seen = expected_version or 0  # none seen: the result must not exist yet
    before = Result.objects.filter(target=target, unit=unit, period_key=period.key()).first()
    if (before.version if before else 0) != seen:
        raise _conflict(target, unit, period)
    try:
        # Submitted, as a figure published in the press is; the writer keeps
        # an approved figure approved when unchanged, else sends it back for
        # approval; the review shows the status it ends in.
        result = do_save_result(
            target=target,
            unit=unit,
            period=period,
            value=data.get("value"),
            acting_user=acting_user,
            note="",
            submit=True,
            expected_version=seen,
        )
    except StaleResultError:
        raise _conflict(target, unit, period) from None
    return result, before is None


def _accept_merge(data, *, acting_user, unit, effective, suggestion, **_):
    if effective is None:
        raise ValidationError("Cần ngày hiệu lực của việc sắp xếp.")
    scope = OrgUnit.objects.current().filter(
        path_q(matching_paths(acting_user, suggestion.source, Role.ADMIN))
    )
    if unit is not None:
        _check_unit(acting_user, unit, Role.ADMIN)
        scope = scope.subtree(unit)
    parts = [_find_unit(scope, p) for p in data.get("parts") or []]
    missing = [p for p, u in zip(data.get("parts") or [], parts, strict=True) if u is None]
    if missing:
        raise ValidationError("Không tìm thấy đơn vị: " + ", ".join(missing) + ".")
    new_name = str(data.get("unit") or "").strip()
    into = _find_unit(scope, new_name)
    successor = do_merge_units(
        [u for u in parts if u is not None],
        into=into,
        name=_committee_name(new_name),
        parent=parts[0].parent,
        effective=effective,
        acting_user=acting_user,
    )
    return successor, into is None


def _committee_name(area_name: str) -> str:
    """ "xã Tùng Lộc" → "Đảng ủy xã Tùng Lộc"; a committee name stays as it is."""
    if fold(area_name).startswith(("dang uy", "tinh uy", "thanh uy", "huyen uy")):
        return area_name
    return f"Đảng ủy {area_name[:1].lower()}{area_name[1:]}"


def _find_unit(scope, name: str) -> OrgUnit | None:
    if not name:
        return None
    key = normalize_name(_committee_name(name))
    matches = list(scope.filter(name_key=key)[:2])
    return matches[0] if len(matches) == 1 else None


def _iso_date(value) -> dt.date | None:
    if not value or not isinstance(value, str) or len(value) != 10 or value.startswith("--"):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
