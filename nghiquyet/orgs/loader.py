"""Load the real administrative units and build the committee tree on them.

Source: the offline data of the ``vietnamadminunits`` package (MIT): the 34
provinces and 3,321 communes in force since 1 July 2025, the 63 former
provinces with their 696 districts and 10,040 communes, and which former
commune became (part of) which current one. Read straight from its SQLite
file and JSON (no pandas).

What is built:

- ``AdminArea`` rows: current provinces and communes (``legacy=False``);
  former provinces, districts and communes (``legacy=True``);
  ``AdminAreaSuccession`` from each former commune (and island district,
  and province) to its current one, ``partial`` for divided communes.
- ``OrgUnit`` committees: the Central Committee; a Tỉnh ủy / Thành ủy per
  current province; a Đảng ủy per current commune (from 01/7/2025); the
  former provincial committees merged away, former district committees
  and former commune committees (until 30/6/2025).
- Lineage on 01/7/2025: a merge event linking each former commune
  committee to its current one (a divided commune to several, equal
  shares: the data gives the areas of the new communes, not of the parts),
  each former provincial committee to the current one; a dissolve event for
  the district committees (their communes carry the results; the five
  island districts without communes become special zones and link to
  them). ``UnitSuccessor`` is written directly from those links: the
  lineage here is one step deep.

Every row is matched on a natural key before it is created, so running the
load again creates nothing, and a partial database is completed.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

from nghiquyet.audit.actions import record
from nghiquyet.core.numbers import format_number
from nghiquyet.core.text import normalize_name

from .models import (
    AdminArea,
    AdminAreaSuccession,
    OrgUnit,
    UnitEvent,
    UnitKind,
    UnitLink,
    UnitSuccessor,
    path_segment,
)

EFFECTIVE = dt.date(2025, 7, 1)
LAST_DAY = EFFECTIVE - dt.timedelta(days=1)
ROOT_NAME = "Ban Chấp hành Trung ương Đảng"
MERGE_NOTE = (
    "Sắp xếp đơn vị hành chính cấp tỉnh, cấp xã; tổ chức đảng theo đơn vị hành chính mới từ 01/7/2025."
)
DISSOLVE_NOTE = "Kết thúc hoạt động của đảng bộ cấp huyện từ 01/7/2025."
SHARE_PLACES = Decimal("0.000001")

# Committee names by the type of the unit (as the data spells it).
DISTRICT_COMMITTEE = {"Huyện": "Huyện ủy", "Thị xã": "Thị ủy", "Thành phố": "Thành ủy", "Quận": "Quận ủy"}


def data_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


# --- Reading the dataset -------------------------------------------------------


@dataclass
class Area:
    code: str
    name: str
    short: str
    kind: str
    level: int
    legacy: bool
    parent_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    area_km2: float | None = None


@dataclass
class Dataset:
    provinces: dict[str, Area] = field(default_factory=dict)
    communes: dict[str, Area] = field(default_factory=dict)
    legacy_provinces: dict[str, Area] = field(default_factory=dict)
    legacy_districts: dict[str, Area] = field(default_factory=dict)
    legacy_communes: dict[str, Area] = field(default_factory=dict)
    # former province code -> current province code
    province_successor: dict[str, str] = field(default_factory=dict)
    # former provinces whose committee goes on under the same name
    continuing_provinces: set[str] = field(default_factory=set)
    # former commune code -> [current commune code]; several when divided
    commune_successors: dict[str, list[str]] = field(default_factory=dict)
    # island district code (no communes) -> current special zone code
    district_successor: dict[str, str] = field(default_factory=dict)


def _province_kind(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def read_dataset(directory: Path | None = None) -> Dataset:
    """Read the package's offline data into plain Python objects."""
    directory = directory or data_dir()
    ds = Dataset()
    db = sqlite3.connect(f"file:{directory / 'dataset.db'}?mode=ro", uri=True)
    try:
        cur_by_key: dict[tuple[str, str], str] = {}
        prov_key_to_code: dict[str, str] = {}
        for row in db.execute(
            "SELECT provinceCode, province, provinceShort, provinceKey, provinceLat, provinceLon,"
            " wardCode, ward, wardShort, wardType, wardKey, wardLat, wardLon, wardAreaKm2"
            " FROM admin_units ORDER BY provinceCode, wardCode"
        ):
            pc, pname, pshort, pkey, plat, plon, wc, wname, wshort, wtype, wkey, wlat, wlon, warea = row
            if pc not in ds.provinces:
                ds.provinces[pc] = Area(pc, pname, pshort, _province_kind(pname), 1, False, None, plat, plon)
                prov_key_to_code[pkey] = pc
            ds.communes[wc] = Area(wc, wname, wshort, wtype, 3, False, pc, wlat, wlon, warea)
            cur_by_key[(pkey, wkey)] = wc

        legacy_by_key: dict[str, tuple[str, str]] = {}
        legacy_prov_key_to_code: dict[str, str] = {}
        for row in db.execute(
            "SELECT provinceCode, province, provinceShort, provinceKey, provinceLat, provinceLon,"
            " districtCode, district, districtShort, districtType, districtKey, districtLat, districtLon,"
            " wardCode, ward, wardShort, wardType, wardKey, wardLat, wardLon"
            " FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ):
            (pc, pname, pshort, pkey, plat, plon, dc, dname, dshort, dtype, dkey, dlat, dlon) = row[:13]
            wc, wname, wshort, wtype, wkey, wlat, wlon = row[13:]
            if pc not in ds.legacy_provinces:
                ds.legacy_provinces[pc] = Area(
                    pc, pname, pshort, _province_kind(pname), 1, True, None, plat, plon
                )
                legacy_prov_key_to_code[pkey] = pc
            if dc not in ds.legacy_districts:
                ds.legacy_districts[dc] = Area(dc, dname, dshort, dtype, 2, True, pc, dlat, dlon)
            if wc:
                ds.legacy_communes[wc] = Area(wc, wname, wshort, wtype, 3, True, dc, wlat, wlon)
                legacy_by_key[f"{pkey}_{dkey}_{wkey}"] = ("commune", wc)
            else:
                # The island districts have no communes; each became a special zone.
                legacy_by_key[f"{pkey}_{dkey}_"] = ("district", dc)
    finally:
        db.close()

    conv = json.loads((directory / "converter_2025.json").read_text(encoding="utf-8"))
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        new_code = prov_key_to_code[new_key]
        for old_key in old_keys:
            old_code = legacy_prov_key_to_code[old_key]
            ds.province_successor[old_code] = new_code
            if old_key == new_key:
                ds.continuing_provinces.add(old_code)

    def _attach(old_key: str, new_code: str) -> None:
        what, code = legacy_by_key[old_key]
        if what == "district":
            ds.district_successor[code] = new_code
        else:
            ds.commune_successors.setdefault(code, []).append(new_code)

    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                _attach(old_key, cur_by_key[(new_pkey, new_wkey)])
    for new_pkey, divided in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            for part in parts:
                _attach(old_key, cur_by_key[(new_pkey, part["newWardKey"])])
    return ds


def equal_shares(n: int) -> list[Decimal]:
    """``n`` shares of 6 decimal places summing to exactly 1."""
    base = (Decimal(1) / n).quantize(SHARE_PLACES)
    return [base] * (n - 1) + [Decimal(1) - base * (n - 1)]


# --- Names ---------------------------------------------------------------------


def bare_name(area: Area) -> str:
    """The name without its type: "Huyện Kỳ Anh" → "Kỳ Anh". The data's
    short names add the type where two units share a name ("Kỳ Anh
    (Huyện)"), which the committee's title already tells apart."""
    prefix = area.kind + " "
    return area.name[len(prefix) :] if area.name.startswith(prefix) else area.short


def province_committee_name(area: Area) -> str:
    if area.kind != "Thành phố":
        return f"Tỉnh ủy {bare_name(area)}"
    # The one city whose name is a person's keeps "Thành phố" in it.
    return f"Thành ủy {area.name if area.short == 'Hồ Chí Minh' else bare_name(area)}"


def district_committee_name(area: Area) -> str:
    return f"{DISTRICT_COMMITTEE.get(area.kind, 'Huyện ủy')} {bare_name(area)}"


def commune_committee_name(area: Area) -> str:
    return f"Đảng ủy {area.kind.lower()} {bare_name(area)}"


# --- Loading -------------------------------------------------------------------


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    provinces: int = 0
    communes: int = 0
    legacy_provinces: int = 0
    legacy_districts: int = 0
    legacy_communes: int = 0

    @property
    def changed(self) -> bool:
        return any(self.created.values())

    def summary(self) -> str:
        """What a person reads at the end of the command, in Vietnamese."""
        current = (
            f"{format_number(self.provinces)} tỉnh, thành phố; "
            f"{format_number(self.communes)} xã, phường, đặc khu"
        )
        if not self.changed:
            return f"Đã có dữ liệu đơn vị: {current}. Không thay đổi gì."
        c = self.created
        return (
            f"Đã nạp dữ liệu đơn vị: {current} "
            f"(trước 01/7/2025: {format_number(self.legacy_provinces)} tỉnh, thành phố; "
            f"{format_number(self.legacy_districts)} huyện, quận, thị xã, thành phố; "
            f"{format_number(self.legacy_communes)} xã, phường, thị trấn).\n"
            f"Đã tạo {format_number(c['areas'])} đơn vị hành chính, "
            f"{format_number(c['successions'])} quan hệ sáp nhập, "
            f"{format_number(c['units'])} cấp ủy, "
            f"{format_number(c['links'])} liên kết kế thừa."
        )


def _area_rows(areas: dict[str, Area], parent_ids: dict[str, int] | None) -> list[AdminArea]:
    return [
        AdminArea(
            code=a.code,
            name=a.name,
            short_name=a.short,
            kind=a.kind,
            level=a.level,
            legacy=a.legacy,
            parent_id=parent_ids[a.parent_code] if parent_ids is not None and a.parent_code else None,
            area_km2=Decimal(str(a.area_km2)).quantize(Decimal("0.01")) if a.area_km2 is not None else None,
            latitude=a.lat,
            longitude=a.lon,
            name_key=normalize_name(a.short or a.name),
        )
        for a in areas.values()
    ]


def _load_areas(ds: Dataset, report: LoadReport) -> dict[tuple[bool, int], dict[str, int]]:
    """AdminArea rows, level by level (children need their parent's id).
    Returns ids by (legacy, level) then code."""
    ids: dict[tuple[bool, int], dict[str, int]] = {}

    def existing(legacy: bool, level: int) -> dict[str, int]:
        return dict(AdminArea.objects.filter(legacy=legacy, level=level).values_list("code", "id"))

    plan = [
        (False, 1, ds.provinces, None),
        (True, 1, ds.legacy_provinces, None),
        (True, 2, ds.legacy_districts, (True, 1)),
        (False, 3, ds.communes, (False, 1)),
        (True, 3, ds.legacy_communes, (True, 2)),
    ]
    for legacy, level, areas, parent_level in plan:
        have = existing(legacy, level)
        missing = {code: a for code, a in areas.items() if code not in have}
        if missing:
            AdminArea.objects.bulk_create(
                _area_rows(missing, ids[parent_level] if parent_level else None), batch_size=1000
            )
            report.created["areas"] += len(missing)
            have = existing(legacy, level)
        ids[(legacy, level)] = have
    return ids


def _load_successions(ds: Dataset, ids, report: LoadReport) -> None:
    wanted: dict[tuple[int, int], bool] = {}
    for old, news in ds.commune_successors.items():
        for new in news:
            wanted[(ids[(True, 3)][old], ids[(False, 3)][new])] = len(news) > 1
    for old, new in ds.province_successor.items():
        wanted[(ids[(True, 1)][old], ids[(False, 1)][new])] = False
    for old, new in ds.district_successor.items():
        wanted[(ids[(True, 2)][old], ids[(False, 3)][new])] = False
    have = set(AdminAreaSuccession.objects.values_list("old_id", "new_id"))
    rows = [
        AdminAreaSuccession(old_id=o, new_id=n, partial=p)
        for (o, n), p in wanted.items()
        if (o, n) not in have
    ]
    AdminAreaSuccession.objects.bulk_create(rows, batch_size=2000)
    report.created["successions"] += len(rows)


@dataclass
class _UnitSpec:
    key: object  # ("root",) or area id
    name: str
    short: str
    kind: str
    code: str
    area_id: int | None
    parent_key: object
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _unit_specs(ds: Dataset, ids) -> list[_UnitSpec]:
    """Every committee to exist, parents before children."""
    root = ("root",)
    specs = [_UnitSpec(root, ROOT_NAME, "Trung ương", UnitKind.CENTRAL, "", None, None)]
    prov_ids, lprov_ids = ids[(False, 1)], ids[(True, 1)]
    dist_ids, comm_ids, lcomm_ids = ids[(True, 2)], ids[(False, 3)], ids[(True, 3)]
    for code, a in ds.provinces.items():
        specs.append(
            _UnitSpec(
                prov_ids[code],
                province_committee_name(a),
                bare_name(a),
                UnitKind.PROVINCE,
                code,
                prov_ids[code],
                root,
            )
        )
    for code, a in ds.legacy_provinces.items():
        if code in ds.continuing_provinces:
            continue
        specs.append(
            _UnitSpec(
                lprov_ids[code],
                province_committee_name(a),
                bare_name(a),
                UnitKind.PROVINCE,
                code,
                lprov_ids[code],
                root,
                valid_to=LAST_DAY,
            )
        )
    for code, a in ds.communes.items():
        specs.append(
            _UnitSpec(
                comm_ids[code],
                commune_committee_name(a),
                bare_name(a),
                UnitKind.COMMUNE,
                code,
                comm_ids[code],
                prov_ids[a.parent_code],
                valid_from=EFFECTIVE,
            )
        )
    for code, a in ds.legacy_districts.items():
        # Under the former provincial committee, or the current one when it went on.
        if a.parent_code in ds.continuing_provinces:
            parent = prov_ids[ds.province_successor[a.parent_code]]
        else:
            parent = lprov_ids[a.parent_code]
        specs.append(
            _UnitSpec(
                dist_ids[code],
                district_committee_name(a),
                bare_name(a),
                UnitKind.DISTRICT,
                code,
                dist_ids[code],
                parent,
                valid_to=LAST_DAY,
            )
        )
    for code, a in ds.legacy_communes.items():
        specs.append(
            _UnitSpec(
                lcomm_ids[code],
                commune_committee_name(a),
                bare_name(a),
                UnitKind.COMMUNE,
                code,
                lcomm_ids[code],
                dist_ids[a.parent_code],
                valid_to=LAST_DAY,
            )
        )
    return specs


def _load_units(ds: Dataset, ids, report: LoadReport) -> dict[object, int]:
    """Create the committees missing. Ids are allocated here so that each
    path (parent path + own id) is final at insert: one bulk insert, no
    second pass. Returns unit ids by natural key."""
    by_area: dict[int, tuple[int, str, int]] = {}
    root_row = None
    for pk, area_id, path, depth, kind, parent_id in OrgUnit.objects.values_list(
        "id", "area_id", "path", "depth", "kind", "parent_id"
    ):
        if area_id is not None:
            by_area.setdefault(area_id, (pk, path, depth))
        elif kind == UnitKind.CENTRAL and parent_id is None and root_row is None:
            root_row = (pk, path, depth)
    known: dict[object, tuple[int, str, int]] = dict(by_area)
    if root_row:
        known[("root",)] = root_row

    next_id = (OrgUnit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    new_rows: list[OrgUnit] = []
    for spec in _unit_specs(ds, ids):
        if spec.key in known:
            continue
        parent = known[spec.parent_key] if spec.parent_key is not None else None
        pk = next_id
        next_id += 1
        path = (parent[1] if parent else "") + path_segment(pk)
        depth = parent[2] + 1 if parent else 0
        known[spec.key] = (pk, path, depth)
        unit = OrgUnit(
            id=pk,
            name=spec.name,
            short_name=spec.short,
            kind=spec.kind,
            parent_id=parent[0] if parent else None,
            path=path,
            depth=depth,
            code=spec.code,
            area_id=spec.area_id,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
        )
        unit.refresh_keys()  # the derived keys save() would set; bulk_create skips save()
        new_rows.append(unit)
    if new_rows:
        OrgUnit.objects.bulk_create(new_rows, batch_size=1000)
        # Explicit ids bypass PostgreSQL's sequence: move it past them.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [OrgUnit]):
                cursor.execute(sql)
    report.created["units"] += len(new_rows)
    return {k: v[0] for k, v in known.items()}


def _load_lineage(ds: Dataset, ids, unit_ids: dict[object, int], report: LoadReport) -> None:
    """Merge and dissolve events of 01/7/2025, their links, and the
    successor closure (one step deep here, so written directly)."""
    prov_ids, lprov_ids = ids[(False, 1)], ids[(True, 1)]
    dist_ids, comm_ids, lcomm_ids = ids[(True, 2)], ids[(False, 3)], ids[(True, 3)]
    unit = unit_ids.__getitem__

    merge: dict[tuple[int, int], Decimal] = {}
    for old, news in ds.commune_successors.items():
        for new, share in zip(news, equal_shares(len(news)), strict=True):
            merge[(unit(lcomm_ids[old]), unit(comm_ids[new]))] = share
    for old, new in ds.province_successor.items():
        if old not in ds.continuing_provinces:
            merge[(unit(lprov_ids[old]), unit(prov_ids[new]))] = Decimal(1)
    for old, new in ds.district_successor.items():
        merge[(unit(dist_ids[old]), unit(comm_ids[new]))] = Decimal(1)
    # A dissolved district committee has no successor; the event names it
    # with a link to itself, as moves and renames do (the closure skips those).
    dissolve = {
        (unit(dist_ids[code]), unit(dist_ids[code])): Decimal(1)
        for code in ds.legacy_districts
        if code not in ds.district_successor
    }

    for kind, note, links in (
        (UnitEvent.Kind.MERGE, MERGE_NOTE, merge),
        (UnitEvent.Kind.DISSOLVE, DISSOLVE_NOTE, dissolve),
    ):
        event = UnitEvent.objects.filter(kind=kind, effective=EFFECTIVE, note=note).first()
        have: set[tuple[int, int]] = set()
        if event is None:
            event = UnitEvent.objects.create(kind=kind, effective=EFFECTIVE, note=note)
            report.created["events"] += 1
        else:
            have = set(event.links.values_list("predecessor_id", "successor_id"))
        rows = [
            UnitLink(event=event, predecessor_id=p, successor_id=s, share=share)
            for (p, s), share in links.items()
            if (p, s) not in have
        ]
        UnitLink.objects.bulk_create(rows, batch_size=2000)
        report.created["links"] += len(rows)

    have = set(UnitSuccessor.objects.values_list("unit_id", "successor_id"))
    rows = [
        UnitSuccessor(unit_id=p, successor_id=s, share=share)
        for (p, s), share in merge.items()
        if (p, s) not in have
    ]
    UnitSuccessor.objects.bulk_create(rows, batch_size=2000)
    report.created["successors"] += len(rows)


def load_units(*, acting_user=None, dataset: Dataset | None = None) -> LoadReport:
    """Load the administrative units and the committee tree, in one
    transaction with one audit row. Running it again creates nothing."""
    ds = dataset or read_dataset()
    report = LoadReport()
    with transaction.atomic():
        ids = _load_areas(ds, report)
        _load_successions(ds, ids, report)
        unit_ids = _load_units(ds, ids, report)
        _load_lineage(ds, ids, unit_ids, report)
        report.provinces = OrgUnit.objects.filter(kind=UnitKind.PROVINCE, valid_to__isnull=True).count()
        report.communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True).count()
        report.legacy_provinces = len(ds.legacy_provinces)
        report.legacy_districts = len(ds.legacy_districts)
        report.legacy_communes = len(ds.legacy_communes)
        if report.changed:
            root = OrgUnit.objects.get(pk=unit_ids[("root",)])
            record(
                "load_units",
                root,
                acting_user=acting_user,
                after={k: v for k, v in report.created.items()},
                unit=root,
            )
    return report
