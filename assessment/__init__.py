"""Render a Community Safety Partnership Strategic Assessment as DOCX and PDF from data."""

from . import codecache

codecache.install()  # before our classes are defined: see codecache's docstring

from . import compose  # noqa: E402
from .api import build, render, render_documents
from .errors import ReportError
from .loading import load_report

__all__ = ["compose", "build", "load_report", "render", "render_documents", "ReportError"]
