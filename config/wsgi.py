import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A server that crashed mid-build left LibreOffice processes and nq-pdf-* folders behind.
from nghiquyet.reports.pdf import sweep_stale  # noqa: E402

sweep_stale()
