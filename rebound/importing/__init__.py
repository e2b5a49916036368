"""Importing a job-search history: one pipeline (read → prepare → plan → apply) over one module per format.

    sheets.py    uploads -> sheets (CSV, XLSX, zip), with every size limit
    cells.py     one cell: header names, text, dates, channels
    format.py    what a format says about itself; how an application row is read
    linkedin.py, jobsync.py, huntr.py, teal.py, mapped.py, daylio.py   the formats
    formats.py   all of them, in detection order
    pipeline.py  prepare, build_plan, apply_plan: the flow, knowing no format

This module holds what the Data page and the CLI use.
"""

from rebound.importing.cells import DATE_ORDERS, parse_moment
from rebound.importing.formats import FORMAT_LABELS, FORMATS, MAPPED_FORMATS
from rebound.importing.linkedin import LINKEDIN_HEADER
from rebound.importing.mapped import FIELDS, REQUIRED_FIELDS, guess_mapping
from rebound.importing.pipeline import (
    ImportPlan,
    Prepared,
    Problem,
    apply_plan,
    build_plan,
    detect_format,
    import_files,
    prepare,
    quiet_after_import,
)
from rebound.importing.sheets import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_ROWS,
    MAX_TOTAL_BYTES,
    MAX_ZIP_BYTES,
    Sheet,
    read_files,
    read_files_fenced,
    too_big,
)

__all__ = [
    "DATE_ORDERS",
    "FIELDS",
    "FORMATS",
    "FORMAT_LABELS",
    "LINKEDIN_HEADER",
    "MAPPED_FORMATS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_TOTAL_BYTES",
    "MAX_ZIP_BYTES",
    "REQUIRED_FIELDS",
    "ImportPlan",
    "Prepared",
    "Problem",
    "Sheet",
    "apply_plan",
    "build_plan",
    "detect_format",
    "guess_mapping",
    "import_files",
    "parse_moment",
    "prepare",
    "quiet_after_import",
    "read_files",
    "read_files_fenced",
    "too_big",
]
