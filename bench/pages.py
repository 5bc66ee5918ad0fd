"""Server time of the main pages on the demo data, with Django's test client.

    .venv/bin/python bench/pages.py [--repeat 30] [--data-dir /tmp/nq-bench-pages]

Uses (or builds, once) the demo data — Hà Tĩnh's units, resolution and
programmes, ~1,400 assignments and ~4,600 results — in its own SQLite
database under ``--data-dir`` (or DATABASE_URL if set), so the demo in
data/ is never touched. Each page is requested ``--repeat`` times after a
warm-up, as the user who would read it; the time is the whole request
through the middleware, templates included. The last line reads
``pages: p50 <ms> ms, p95 <ms> ms``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--data-dir", default="/tmp/nq-bench-pages")
    args = ap.parse_args()

    os.environ["NGHIQUYET_DATA_DIR"] = args.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    from nghiquyet.core.datadir import prepare

    prepare()  # the data folder and secret key, as the `nghiquyet` command makes them
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from nghiquyet.core.demo import PROVINCE_CODE, REPORTER_COMMUNE, RESOLUTION_SIGN, load_demo

    call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    report = load_demo()
    if report.created:
        print(f"Dữ liệu mẫu đã tạo trong {time.perf_counter() - t0:.1f} s")

    from django.contrib.auth import get_user_model

    from nghiquyet.documents.models import Document
    from nghiquyet.meetings.models import Meeting
    from nghiquyet.orgs.models import OrgUnit, UnitKind

    setup_test_environment()  # lets the test client run against this database
    User = get_user_model()
    province = OrgUnit.objects.get(
        kind=UnitKind.PROVINCE, code=PROVINCE_CODE, valid_to__isnull=True, area__isnull=False
    )
    commune = OrgUnit.objects.get(
        name=REPORTER_COMMUNE, valid_to__isnull=True, path__startswith=province.path
    )
    doc = Document.objects.get(sign=RESOLUTION_SIGN, issuing_unit=province)
    target = doc.targets.order_by("order", "id").first()
    meeting = Meeting.objects.filter(organiser=province).order_by("-date").first()

    def user_with(role, unit):
        return User.objects.filter(memberships__role=role, memberships__unit=unit, is_active=True).first()

    leader = user_with("admin", province)
    reporter = user_with("reporter", commune)
    pages = [
        ("Tổng quan (tỉnh)", leader, "/"),
        ("Tổng quan (xã)", reporter, "/"),
        ("Văn bản", leader, "/van-ban/"),
        ("Văn bản: nghị quyết", leader, f"/van-ban/{doc.pk}/"),
        ("Văn bản: quý", leader, f"/van-ban/{doc.pk}/?ky=2026-Q3"),
        ("Chỉ tiêu", leader, f"/so-lieu/chi-tieu/{target.pk}/?don_vi={province.pk}"),
        ("Nhập số liệu", reporter, "/so-lieu/bao-cao/"),
        ("Đơn vị", leader, "/don-vi/"),
        ("Tìm đơn vị", leader, "/don-vi/?q=duc+tho"),
        ("Đơn vị: tỉnh", leader, f"/don-vi/{province.pk}/"),
        ("Đơn vị: xã", leader, f"/don-vi/{commune.pk}/"),
        ("Nhiệm vụ", leader, "/nhiem-vu/"),
        ("Hội nghị", leader, "/hoi-nghi/"),
        ("Hội nghị: chi tiết", leader, f"/hoi-nghi/{meeting.pk}/" if meeting else "/hoi-nghi/"),
    ]
    clients = {}
    all_ms: list[float] = []
    cold_ms: list[float] = []
    print(f"{'Trang':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50 (lạnh)':>10} {'p95 (lạnh)':>10}")
    for name, user, url in pages:
        if user.pk not in clients:
            c = Client()
            c.force_login(user)
            clients[user.pk] = c
        c = clients[user.pk]
        for _ in range(2):
            r = c.get(url)
            if r.status_code != 200:
                raise SystemExit(f"{url}: HTTP {r.status_code}")
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            c.get(url)
            times.append((time.perf_counter() - start) * 1000)
        # The baseline, in the same run: every request after a write, so no
        # roll-up is reused (what the first reader after a submission waits).
        cold = []
        for _ in range(max(3, args.repeat // 3)):
            cache.clear()
            start = time.perf_counter()
            c.get(url)
            cold.append((time.perf_counter() - start) * 1000)
        all_ms.extend(times)
        cold_ms.extend(cold)
        print(
            f"{name:<22} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {max(times):8.1f}"
            f" {statistics.median(cold):10.1f} {percentile(cold, 0.95):10.1f}"
        )
    print(
        f"ngay sau một lần ghi (không dùng lại kết quả tổng hợp): p50 {statistics.median(cold_ms):.0f} ms, "
        f"p95 {percentile(cold_ms, 0.95):.0f} ms"
    )
    print(f"pages: p50 {statistics.median(all_ms):.0f} ms, p95 {percentile(all_ms, 0.95):.0f} ms")


if __name__ == "__main__":
    main()
