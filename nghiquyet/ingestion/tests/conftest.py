from __future__ import annotations

import datetime as dt

import pytest

from nghiquyet.core.periods import Period
from nghiquyet.core.tests.webhelpers import reopen


@pytest.fixture(autouse=True)
def _reopened(request):
    """The figures these tests accept are for Quý II/2026, whose reporting
    window has closed (issue 13) on the real clock these tests run on:
    entry reopened from above for the tests that have the tree."""
    if "tree" in request.fixturenames:
        reopen(request.getfixturevalue("tree").root, Period.quarter(2026, 2), until=dt.date(2099, 12, 31))
