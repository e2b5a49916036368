"""Teal's export: a mapped spreadsheet ("Job Position", "Date Saved", "Excitement"); Bookmarked jobs are left out."""

from __future__ import annotations

from rebound.importing.mapped import MappedFormat


class Teal(MappedFormat):
    name, label, source = "teal", "Teal export", "teal"

    def detects(self, columns: set[str]) -> bool:
        return bool({"job position", "date saved"} & columns) or "excitement" in columns


FORMAT = Teal()
