"""Datasets: every table of numbers a report shows, read from its sources.

``sources`` resolves what ``report.yaml`` names (CSV files, police.uk folders, Excel
workbooks, declared gaps) inside the report folder; ``csvfile``, ``police`` and ``excel``
read each kind; ``table`` holds the result.
"""

from .csvfile import read_csv
from .sources import load_datasets
from .table import Dataset, Failed, Row, Unavailable, template_value

__all__ = ["Dataset", "Failed", "Row", "Unavailable", "load_datasets", "read_csv", "template_value"]
