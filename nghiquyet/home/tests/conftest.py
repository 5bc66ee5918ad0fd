# The round of notify's tests ("cycle"), reused for the home page.
from nghiquyet.notify.tests.conftest import cycle  # noqa: F401
