"""Browser tests: Playwright's sync API on Debian's Chromium against a live server.

Playwright runs an event loop in the test thread; the ORM calls made there
(building fixtures) are plain synchronous code, so Django's async guard is
lifted for these tests only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium của Debian chưa được cài (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
            headless=True,
        )
        yield b
        b.close()


# Each document reports its Content-Security-Policy violations to the test
# (the binding survives navigations; the init script runs before any page script).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolation({
    directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample,
  });
}, true);
"""


class CspWatch(list):
    """Every CSP violation seen by any page of the test (a list of strings)."""

    def __init__(self):
        super().__init__()
        self.pages = []

    def flush(self) -> list[str]:
        # A round trip to each open page delivers the reports still on the way.
        for page in self.pages:
            if not page.is_closed():
                page.evaluate("0")
        return list(self)


@pytest.fixture
def csp_violations(request):
    """The test fails if a violation is left here when it ends (see
    pytest_runtest_call below); a test may check and clear it itself."""
    watch = CspWatch()
    request.node.csp_violations = watch
    return watch


@pytest.fixture
def new_page(browser, live_server, csp_violations):
    """A fresh browser context (own cookies) per call, at a given viewport,
    watched for Content-Security-Policy violations."""
    contexts = []

    def make(width: int = 1366, height: int = 768):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        ctx.set_default_timeout(15000)
        ctx.expose_binding(
            "__cspViolation", lambda source, v: csp_violations.append(f"{source['frame'].url}: {v}")
        )
        ctx.add_init_script(CSP_LISTENER)
        contexts.append(ctx)
        page = ctx.new_page()
        csp_violations.pages.append(page)

        def on_console(msg):
            if "Content Security Policy" in msg.text:
                csp_violations.append(f"{page.url}: console: {msg.text}")

        page.on("console", on_console)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    watch = getattr(item, "csp_violations", None)
    found = watch.flush() if watch is not None else []
    if found:
        pytest.fail("Vi phạm Content-Security-Policy:\n" + "\n".join(found), pytrace=False)
    return result


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str, full_page: bool = True):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    return save


def sign_in(page, base: str, username: str, password: str):
    page.goto(base + "/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _reopened(request):
    """The browser tests write figures of the second and third quarters of
    2026 on the real clock, after their reporting windows closed (issue 13):
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        import datetime as dt

        from nghiquyet.core.periods import Period
        from nghiquyet.core.tests.webhelpers import reopen

        reopen(
            request.getfixturevalue("tree").root,
            Period.quarter(2026, 2),
            Period.quarter(2026, 3),
            until=dt.date(2099, 12, 31),
        )
