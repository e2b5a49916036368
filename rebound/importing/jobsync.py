"""JobSync's CSV export: a mapped spreadsheet with a "Job Source" column; drafts have no date yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebound.importing.cells import norm, text
from rebound.importing.mapped import MappedFormat

if TYPE_CHECKING:
    from rebound.importing.format import Cell


class JobSync(MappedFormat):
    name, label, source = "jobsync", "JobSync CSV export", "jobsync"

    def detects(self, columns: set[str]) -> bool:
        return {"job title", "job source"} <= columns or {"applied date", "job source"} <= columns

    def leave_out(self, cell: Cell) -> bool:
        # A draft JobSync exports with the date "N/A" and no status: saved, not applied to yet.
        return norm(text(cell("applied_on"))) in ("n a", "") and norm(text(cell("status"))) in ("", "draft")


FORMAT = JobSync()
