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


@pytest.fixture
def new_page(browser, live_server):
    """A fresh browser context (own cookies) per call, at a given viewport."""
    contexts = []

    def make(width: int = 1366, height: int = 768):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


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
