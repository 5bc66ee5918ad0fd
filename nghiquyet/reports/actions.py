"""Writes of the reports app: results taken in from Excel (see importing.py)."""

from .importing import ImportRejected, ImportSummary, do_import_results

__all__ = ["ImportRejected", "ImportSummary", "do_import_results"]
