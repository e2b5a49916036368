"""ui.freeze_long_lived: imported libraries are hidden from the cyclic collector once."""

from __future__ import annotations


def test_long_lived_objects_are_frozen_once_per_new_import(monkeypatch):
    import gc

    from rebound import ui

    monkeypatch.setattr(ui, "_modules_at_freeze", 0)
    gc.unfreeze()
    try:
        ui.freeze_long_lived()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # streamlit, pandas and duckdb are loaded in this test process
        junk = [[i] for i in range(1000)]  # new objects, no new module: not frozen
        ui.freeze_long_lived()
        assert gc.get_freeze_count() == frozen
        del junk
    finally:
        gc.unfreeze()
