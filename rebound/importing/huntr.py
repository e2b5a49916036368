"""Huntr's export: a mapped spreadsheet whose board lists ("List": Wishlist, Applied, Interview …) are the status."""

from __future__ import annotations

from rebound.importing.mapped import MappedFormat


class Huntr(MappedFormat):
    name, label, source = "huntr", "Huntr export", "huntr"

    def detects(self, columns: set[str]) -> bool:
        return bool(columns & {"list", "list name", "board", "board name"})


FORMAT = Huntr()
