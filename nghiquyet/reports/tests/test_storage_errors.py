"""A report file that cannot be written (full disk): a Vietnamese 503 and no half file left."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_full_disk_while_keeping_a_built_report(client, users, review, tree, monkeypatch):
    client.force_login(users.viewer)
    folder = Path(settings.DATA_DIR) / "tmp-reports"
    before = set(folder.iterdir()) if folder.exists() else set()
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.parent == folder:  # the file went in, its description does not fit
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)
    url = reverse("reports:review", args=[review.doc.pk])
    response = client.get(
        url, {"unit": tree.province.pk, "period": "2026-H1", "fmt": "docx"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 503
    assert "ổ đĩa đầy hoặc chỉ cho đọc" in response.content.decode()
    assert set(folder.iterdir()) == before
