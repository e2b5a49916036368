"""ui.md_table: a few rows drawn as a Markdown table, every cell inert."""

from __future__ import annotations

from rebound.ui import md_table


def test_a_table_has_a_header_an_alignment_row_and_a_row_per_item():
    text = md_table(
        [("Applied", 12, "100%"), ("Screen", 3, "25%")], ["Stage", "Reached", "Of all"], ["Reached", "Of all"]
    )
    assert text.splitlines() == [
        "| Stage | Reached | Of all |",
        "| --- | ---: | ---: |",
        "| Applied | 12 | 100\\% |",
        "| Screen | 3 | 25\\% |",
    ]


def test_a_cell_cannot_break_out_of_its_column_or_its_row():
    (row,) = md_table([("a | b", "two\nlines", "<b>x</b>")], ["One", "Two", "Three"]).splitlines()[2:]
    assert row.count(" | ") == 2 and "\n" not in row
    assert "a \\| b" in row and "\\<b\\>x\\</b\\>" in row


def test_a_missing_value_is_an_empty_cell():
    assert md_table([(None, float("nan"))], ["A", "B"]).splitlines()[2] == "|  |  |"
