"""Uploads bounded before they are read: by Content-Length at the door, by
the file's size before ``.read()``, and .docx archives before python-docx.

The limit is lowered to 100 KB here so that the files stay small.
"""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nghiquyet.accounts.models import ApiToken
from nghiquyet.core import uploads
from nghiquyet.core.zipguard import DOCX_MAX_ELEMENTS
from nghiquyet.ingestion.actions import read_upload
from nghiquyet.ingestion.models import Source
from nghiquyet.reports.tests import bombs
from nghiquyet.targets.models import Result

pytestmark = pytest.mark.django_db

LIMIT = 100 * 1024
# Over the limit, but under the limit and the form's allowance: the
# middleware lets it through and the form or the action refuses it.
A_LITTLE_OVER = LIMIT + 10 * 1024
# Over the limit and the allowance: refused at the door, body unread.
FAR_OVER = LIMIT + uploads.FORM_ALLOWANCE + 1


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = LIMIT


def upload(size: int, name: str) -> io.BytesIO:
    f = io.BytesIO(b"x" * size)
    f.name = name
    return f


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "thử nghiệm")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


class _Unread:
    """A request body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_declared_body_over_the_limit_is_refused_unread(client, users, rf):
    called = []
    middleware = uploads.UploadLimitMiddleware(lambda request: called.append(request))
    request = rf.post("/thu-nhan/moi/", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(FAR_OVER)
    request.META["wsgi.input"] = _Unread()
    request._stream = _Unread()
    response = middleware(request)
    assert response.status_code == 413 and not called
    assert "Tệp quá lớn" in response.content.decode() and "tối đa 0,1 MB" in response.content.decode()


def test_xlsx_import_over_the_limit_through_the_page(client, users):
    client.force_login(users.reporter)
    before = Result.objects.count()
    response = client.post(reverse("reports:import"), {"file": upload(FAR_OVER, "mau.xlsx")})
    assert response.status_code == 413
    assert "tối đa 0,1 MB" in response.content.decode()
    # htmx swaps 2xx answers only: the message comes back where the result would be.
    response = client.post(
        reverse("reports:import"), {"file": upload(FAR_OVER, "mau.xlsx")}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'class="msg msg-error"' in response.content.decode()
    # A little over: through the door, refused by its size before it is read.
    response = client.post(reverse("reports:import"), {"file": upload(A_LITTLE_OVER, "mau.xlsx")})
    assert response.status_code == 400
    assert "Tệp quá lớn: tối đa 0,1 MB." in response.content.decode()
    assert Result.objects.count() == before


def test_article_upload_over_the_limit_through_the_page(client, users, tree):
    client.force_login(users.reporter)
    path = reverse("ingestion:new")
    response = client.post(path, {"file": upload(FAR_OVER, "tin.txt"), "unit": tree.commune_a.pk})
    assert response.status_code == 413
    response = client.post(path, {"file": upload(A_LITTLE_OVER, "tin.txt"), "unit": tree.commune_a.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp quá lớn: tối đa 0,1 MB." in html and "tối đa 0,1 MB" in html
    assert not Source.objects.exists()


def test_article_upload_over_the_limit_through_the_api(client, users, tree):
    auth = bearer(users.reporter)
    path = "/api/ingestion/sources"
    response = client.post(path, {"file": upload(FAR_OVER, "tin.txt"), "unit": tree.commune_a.pk}, **auth)
    assert response.status_code == 413
    assert json.loads(response.content) == {"detail": "Yêu cầu quá lớn: tệp tải lên tối đa 0,1 MB."}
    response = client.post(
        path, {"file": upload(A_LITTLE_OVER, "tin.txt"), "unit": tree.commune_a.pk}, **auth
    )
    assert response.status_code == 413
    assert json.loads(response.content) == {"detail": "Tệp quá lớn: tối đa 0,1 MB."}
    assert not Source.objects.exists()


def test_read_upload_reads_no_more_than_the_limit():
    class Stream:
        size = None
        asked: list[int] = []

        def read(self, n=-1):
            self.asked.append(n)
            return b"x" * (n if n >= 0 else 10 * LIMIT)

    s = Stream()
    with pytest.raises(uploads.UploadTooLarge):
        uploads.read_upload(s)
    assert s.asked == [LIMIT + 1]
    assert uploads.read_upload(b"abc") == b"abc"


# -- .docx ---------------------------------------------------------------------------------


def a_docx(text: str = "Đồng chí Lê Văn Bình chủ trì buổi làm việc.") -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_plain_docx_is_read(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    text, kind, _, _ = read_upload(a_docx(), "bao-cao.docx")
    assert kind == "docx" and "Lê Văn Bình" in text


def docx_with(part: str, chunks, **kw) -> bytes:
    return bombs.bomb_xlsx(chunks, base=a_docx(), part=part, **kw)


def document_chunks(body_chunks):
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    yield f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>'.encode()
    yield from body_chunks
    yield b"</w:body></w:document>"


def test_a_docx_bomb_is_refused_before_python_docx(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    data = docx_with("word/document.xml", document_chunks(bombs.repeat(b" " * 4096, 200 * bombs.MiB)))
    assert len(data) < bombs.MiB
    with pytest.raises(ValidationError, match="khi giải nén quá lớn"):
        read_upload(data, "bom.docx")
    lying = docx_with(
        "word/document.xml", document_chunks(bombs.repeat(b" " * 4096, 200 * bombs.MiB)), declare=2000
    )
    with pytest.raises(ValidationError, match="tệp hỏng"):
        read_upload(lying, "bom.docx")


def test_a_docx_of_too_many_elements_is_refused(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    # Random ids, as Word writes them: it compresses like a real document, not like a bomb.
    paragraphs = (f'<w:p w:rsidR="{os.urandom(4).hex()}"/>'.encode() for _ in range(DOCX_MAX_ELEMENTS))
    data = docx_with("word/document.xml", document_chunks(paragraphs))
    with pytest.raises(ValidationError, match="Tệp Word quá dài"):
        read_upload(data, "dai.docx")


def test_a_docx_with_an_entity_expansion_is_refused(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{ns}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    )
    with pytest.raises(ValidationError, match="tệp hỏng"):
        read_upload(bombs.replace(a_docx(), "word/document.xml", xml), "ent.docx")


def test_an_archive_of_too_many_entries_is_refused_before_zipfile_lists_them(settings):
    settings.NGHIQUYET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<x/>")
        for i in range(5000):
            z.writestr(f"{i}", b"")
    with pytest.raises(ValidationError, match="quá nhiều thành phần nén"):
        read_upload(buf.getvalue(), "nhieu.docx")


# -- through Waitress ------------------------------------------------------------------------


def _ask(port: int, length: int, body: bytes = b"") -> tuple[str, str]:
    """A POST declaring ``length`` bytes; the status line and the body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(
            (
                "POST /api/ingestion/sources HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
            ).encode()
            + body
        )
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, content = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), content.decode("utf-8", "replace")


def test_waitress_and_the_middleware_refuse_by_declared_length(settings):
    from waitress.server import create_server

    from config.wsgi import application

    server = create_server(
        application,
        host="127.0.0.1",
        port=0,
        max_request_body_size=settings.NGHIQUYET_MAX_REQUEST_BYTES,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        port = server.effective_port
        # Over twice the limit: Waitress answers at the headers; the body is never sent.
        status, _ = _ask(port, settings.NGHIQUYET_MAX_REQUEST_BYTES + 1)
        assert status.endswith("413 Request Entity Too Large")
        # Over the limit: received by Waitress (to disk), refused in Vietnamese before Django parses it.
        status, content = _ask(port, FAR_OVER, b"x" * FAR_OVER)
        assert status.endswith("413 Request Entity Too Large")
        assert json.loads(content) == {"detail": "Yêu cầu quá lớn: tệp tải lên tối đa 0,1 MB."}
    finally:
        server.close()
        thread.join(timeout=10)


def test_serve_passes_the_request_limit_to_waitress(settings, monkeypatch):
    import waitress
    from django.core.management import call_command

    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: seen.update(kw))
    call_command("serve", stdout=io.StringIO())
    assert seen["max_request_body_size"] == settings.NGHIQUYET_MAX_REQUEST_BYTES
