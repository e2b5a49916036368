"""What a backup's rows must satisfy before a restore writes them: the rules the forms and importers
apply (moods 1-10, known event kinds and channels, dates in range, text lengths).

A backup is a file anyone can edit, so its values are checked like typed input: a restore of a
mood of 999 or a date in 2999 would break the pages that chart them. Checks run on whole Arrow
columns at once; the first bad value is reported by table, row and column, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Never

from rebound import feedback, momentum, outcomes, wellbeing
from rebound.errors import ValidationError
from rebound.importing.cells import EARLIEST_DATE  # what an import accepts, a restore accepts: earlier are typos
from rebound.momentum import plans
from rebound.outcomes import materials
from rebound.vocab import CHANNELS, EVENT_KINDS, REJECTION_STAGES
from rebound.wellbeing import confidence

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pyarrow as pa

FUTURE_SLACK = dt.timedelta(days=2)  # a backup from a machine whose clock (or time zone) runs ahead
PLANNED_WITHIN = dt.timedelta(days=3 * 366)  # due dates, follow-ups and goals may lie ahead, not ages ahead
MAX_TEXT = 50_000  # any text column (the longest form field: notes, answers, feedback)
MAX_JSON = 1_000_000  # a reflection's answers or a draft's fields, as JSON
MAX_LIST_ITEMS = 100
MAX_LIST_ITEM = 500

# Columns whose dates the forms refuse in the future ("log it once it has happened").
HAPPENED = {
    "applications": {"applied_on"},
    "events": {"happened_on"},
    "checkins": {"checked_at"},
    "coping": {"day"},
    "reflections": {"day"},
    "activities": {"day"},
    "wins": {"day"},
    "contacts": {"last_contact_on"},
    "feedback_requests": {"drafted_on", "sent_on", "answered_on", "closed_on"},
    "actions": {"done_on"},
    "plans": {"done_at"},
}
CHOICES = {
    ("applications", "channel"): CHANNELS,
    ("events", "kind"): EVENT_KINDS,
    ("events", "stage"): REJECTION_STAGES,
    ("activities", "kind"): None,  # filled from momentum.activity_kinds() when checked
    ("actions", "kind"): None,
    ("plans", "state"): plans.STATES,
    ("material_versions", "kind"): list(materials.KINDS),
    ("material_versions", "file_type"): list(materials.FILE_TYPES),
}
# Number ranges: each area's own (the ones its forms apply), never restated here.
RANGES = outcomes.LIMITS | wellbeing.LIMITS | momentum.LIMITS
ITEM_RANGES = {("confidence_checks", "answers"): confidence.SCALE}  # each item of a list of numbers
BLOB_LIMITS = {("material_versions", "file_data"): materials.MAX_FILE_BYTES}
TEXT_LIMITS = {
    ("applications", "company"): outcomes.MAX_SHORT,
    ("applications", "role"): outcomes.MAX_SHORT,
    ("applications", "location"): outcomes.MAX_SHORT,
    ("applications", "url"): outcomes.MAX_URL,
    ("applications", "notes"): outcomes.MAX_NOTES,
    ("events", "reason"): outcomes.MAX_SHORT * 10,
    ("feedback_requests", "message"): feedback.MAX_MESSAGE,
    ("feedback_requests", "contact_email"): feedback.MAX_EMAIL,
    ("plans", "what"): plans.MAX_WHAT,
    ("plans", "place"): plans.MAX_PLACE,
    ("material_versions", "label"): materials.MAX_LABEL,
    ("material_versions", "changes"): materials.MAX_CHANGES,
    ("material_versions", "file_name"): materials.MAX_FILE_NAME,
}

# Text the forms require (outcomes.rules: "Please enter the company name."): blank is refused too.
REQUIRED_TEXT = {("applications", "company"), ("applications", "role"), ("material_versions", "label")}


def _choices(table: str, column: str) -> Sequence[str] | None:
    if (table, column) == ("activities", "kind"):
        return list(momentum.activity_kinds())
    if (table, column) == ("actions", "kind"):
        return None  # free-ish vocabulary (feedback areas, custom): only its length is checked
    return CHOICES.get((table, column))


def _arrow_type(sql_type: str) -> pa.DataType | None:
    import pyarrow as pa

    if sql_type.endswith("[]"):
        return {"VARCHAR": pa.list_(pa.string()), "INTEGER": pa.list_(pa.int64())}.get(sql_type[:-2])
    return {
        "BLOB": pa.binary(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "INTEGER": pa.int64(),
        "BIGINT": pa.int64(),
        "VARCHAR": pa.string(),
        "JSON": pa.string(),
    }.get(sql_type)


def _first(mask: pa.Array) -> int | None:
    """Index of the first True in a boolean array (nulls count as False)."""
    import pyarrow.compute as pc

    index = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if index is None or index < 0 else index


def check_values(tables: Mapping[str, pa.Table], columns: dict[str, list[dict]], today: dt.date | None = None) -> None:
    """Raise ValidationError naming the first value a form would refuse. `tables`: {name: pyarrow
    Table}; `columns`: {name: this database's columns (store.account.table_columns)}."""
    import pyarrow as pa
    import pyarrow.compute as pc

    today = today or dt.date.today()
    for table, arrow in tables.items():
        for col in columns.get(table, []):
            name, sql_type = col["name"], col["type"]
            target = _arrow_type(sql_type)
            if name == "user_id" or name not in arrow.column_names or target is None:
                continue

            def bad(index: int, what: str, name: str = name, table: str = table) -> Never:
                raise ValidationError(
                    f"This backup can't be restored: table {table}, row {index + 1:,}, column "
                    f"{name}: {what}. Nothing was changed."
                )

            values = arrow.column(name)
            try:
                values = values.cast(target) if values.type != target else values
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                raise ValidationError(
                    f"This backup can't be restored: table {table}, column {name} holds values "
                    f"that are not {sql_type.lower()}. Nothing was changed."
                ) from None
            values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
            if sql_type in ("DATE", "TIMESTAMP"):
                latest = today + (FUTURE_SLACK if name in HAPPENED.get(table, ()) else PLANNED_WITHIN)
                low, high = EARLIEST_DATE, latest
                if sql_type == "TIMESTAMP":
                    low = dt.datetime.combine(low, dt.time())
                    high = dt.datetime.combine(high + dt.timedelta(days=1), dt.time())
                scalar_type = values.type
                i = _first(
                    pc.or_(
                        pc.less(values, pa.scalar(low, scalar_type)), pc.greater(values, pa.scalar(high, scalar_type))
                    )
                )
                if i is not None:
                    bad(i, f"the date {values[i].as_py():%Y-%m-%d} is outside {EARLIEST_DATE:%Y} to {latest:%Y-%m-%d}")
            elif (table, name) in RANGES:
                lo, hi = RANGES[(table, name)]
                i = _first(pc.or_(pc.less(values, lo), pc.greater(values, hi)))
                if i is not None:
                    bad(i, f"{values[i].as_py()} is outside {lo} to {hi}")
            if pa.types.is_string(values.type):
                if (table, name) in REQUIRED_TEXT:
                    i = _first(pc.or_kleene(pc.is_null(values), pc.equal(pc.utf8_trim_whitespace(values), "")))
                    if i is not None:
                        bad(i, "it is empty, and Rebound needs one")
                known = _choices(table, name)
                if known is not None:
                    i = _first(
                        pc.and_(
                            pc.is_valid(values), pc.invert(pc.is_in(values, value_set=pa.array(known, pa.string())))
                        )
                    )
                    if i is not None:
                        bad(i, f"{str(values[i].as_py())[:60]!r} is not one Rebound knows ({', '.join(known)})")
                limit = MAX_JSON if sql_type == "JSON" else TEXT_LIMITS.get((table, name), MAX_TEXT)
                i = _first(pc.greater(pc.utf8_length(values), limit))
                if i is not None:
                    bad(
                        i,
                        f"the text is {len(values[i].as_py()):,} characters long, more than the {limit:,} it may have",
                    )
            elif pa.types.is_binary(values.type):
                limit = BLOB_LIMITS.get((table, name), MAX_JSON)
                i = _first(pc.greater(pc.binary_length(values), limit))
                if i is not None:
                    bad(i, f"the file is {len(values[i].as_py()):,} bytes, more than the {limit:,} it may have")
            elif pa.types.is_list(values.type):
                i = _first(pc.greater(pc.list_value_length(values), MAX_LIST_ITEMS))
                if i is not None:
                    bad(i, f"the list has more than {MAX_LIST_ITEMS} items")
                items = pc.list_flatten(values)
                if pa.types.is_integer(items.type):
                    lo, hi = ITEM_RANGES.get((table, name), (-(2**31), 2**31 - 1))
                    j = _first(pc.or_(pc.less(items, lo), pc.greater(items, hi)))
                    if j is not None:
                        bad(pc.list_parent_indices(values)[j].as_py(), f"{items[j].as_py()} is outside {lo} to {hi}")
                    continue
                j = _first(pc.greater(pc.utf8_length(items), MAX_LIST_ITEM))
                if j is not None:
                    bad(
                        pc.list_parent_indices(values)[j].as_py(), f"one item is longer than {MAX_LIST_ITEM} characters"
                    )
