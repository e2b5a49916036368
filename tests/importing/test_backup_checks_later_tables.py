"""A restore checks the tables added after the first backups like the older ones: a confidence answer
outside 1-5, a CV version of an unknown kind or file type, a blank label or an oversized kept file are
refused by name, as the forms refuse them (rebound.backup_checks)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from rebound.backup_checks import check_values
from rebound.errors import ValidationError
from rebound.outcomes import materials

TODAY = dt.date(2026, 12, 7)


def _columns(store, table: str) -> dict[str, list[dict]]:
    return {table: store.account.table_columns(table)}


def _confidence(answers: list[list[int]]) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(range(1, len(answers) + 1), pa.int64()),
            "week": pa.array([dt.date(2026, 11, 30)] * len(answers), pa.date32()),
            "answers": pa.array(answers, pa.list_(pa.int64())),
        }
    )


def test_confidence_answers_inside_one_to_five_pass(store):
    check_values(
        {"confidence_checks": _confidence([[1, 3, 5], [2, 2, 2]])}, _columns(store, "confidence_checks"), TODAY
    )


@pytest.mark.parametrize("bad", [0, 6, 999, -1])
def test_a_confidence_answer_outside_one_to_five_is_refused_by_row(store, bad):
    table = _confidence([[3, 3, 3], [3, bad, 3]])
    with pytest.raises(ValidationError, match=rf"confidence_checks, row 2, column answers: {bad} is outside 1 to 5"):
        check_values({"confidence_checks": table}, _columns(store, "confidence_checks"), TODAY)


def _version(**overrides) -> pa.Table:
    row = {"id": 1, "kind": "cv", "label": "CV v2", "made_on": dt.date(2026, 10, 1), "file_type": "pdf"}
    row.update(overrides)
    return pa.table({k: [v] for k, v in row.items()})


def test_a_good_cv_version_passes(store):
    check_values(
        {"material_versions": _version(file_data=b"%PDF-1.7 ...")}, _columns(store, "material_versions"), TODAY
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"kind": "portfolio"}, r"column kind: 'portfolio' is not one Rebound knows"),
        ({"file_type": "html"}, r"column file_type: 'html' is not one Rebound knows"),
        ({"label": "   "}, r"column label: it is empty"),
        ({"label": "x" * (materials.MAX_LABEL + 1)}, r"column label: the text is"),
        ({"file_data": b"0" * (materials.MAX_FILE_BYTES + 1)}, r"column file_data: the file is"),
    ],
)
def test_a_bad_cv_version_is_refused_by_name(store, overrides, message):
    with pytest.raises(ValidationError, match=message):
        check_values({"material_versions": _version(**overrides)}, _columns(store, "material_versions"), TODAY)
