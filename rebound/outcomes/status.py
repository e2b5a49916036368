"""The outcomes read model: each application's CURRENT STATUS, derived from its timeline.

Status is never stored: it is the latest status event of an application's timeline (applied when
there is none), where a `reopened` undoes an earlier `ghosted` and `followed_up` only resets the
quiet clock. `STATUS_CTE` is that derivation as SQL common table expressions ending in `app_status`:
every column of `applications` plus

    status            the derived status (vocab.STATUS_EVENTS, or 'applied')
    round             the round of that status event (interviews)
    status_on         the day of that status event (applied_on when none)
    last_activity_on  the latest of applied_on and any event's day (what nudges measure quiet by)
    n_events          how many events the timeline holds

for the user bound as `$user`. Use it as `f"WITH {STATUS_CTE} SELECT ... FROM app_status ..."`.
This is the one definition of status: Outcomes, Insights, mail matching and the account's export
and calendar read it here (each such import is listed in pyproject.toml's layers contract), and
only outcomes writes the tables it reads.

`existing_application(run, id)` is the one check, inside another area's write, that a linked
application (a check-in's, a reflection's) still exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rebound.errors import ValidationError
from rebound.vocab import STATUS_EVENTS, sql_in

if TYPE_CHECKING:
    from rebound.repository import Run

# The current status of each of the user's applications, derived from its timeline.
# A ghosted event is undone by a later `reopened`; `followed_up` only resets the quiet clock.
STATUS_CTE = f"""
ordered AS (
    SELECT *, row_number() OVER (PARTITION BY application_id ORDER BY happened_on, id) AS ord
    FROM events WHERE user_id = $user
),
reopens AS (
    SELECT application_id, max(ord) AS last_reopen FROM ordered WHERE kind = 'reopened' GROUP BY 1
),
latest AS (
    SELECT o.application_id,
           arg_max(o.kind, o.ord) AS status, arg_max(o.round, o.ord) AS round,
           arg_max(o.happened_on, o.ord) AS status_on
    FROM ordered o LEFT JOIN reopens r USING (application_id)
    WHERE o.kind IN {sql_in(STATUS_EVENTS)}
      AND NOT (o.kind = 'ghosted' AND o.ord < coalesce(r.last_reopen, 0))
    GROUP BY 1
),
quiet AS (
    SELECT application_id, max(happened_on) AS last_event_on, count(*) AS n_events
    FROM ordered GROUP BY 1
),
app_status AS (
    SELECT a.*, coalesce(l.status, 'applied') AS status, l.round, coalesce(l.status_on, a.applied_on) AS status_on,
           greatest(a.applied_on, coalesce(q.last_event_on, a.applied_on)) AS last_activity_on,
           coalesce(q.n_events, 0) AS n_events
    FROM applications a
    LEFT JOIN latest l ON l.application_id = a.id
    LEFT JOIN quiet q ON q.application_id = a.id
    WHERE a.user_id = $user
)"""


# The import keys (source_key) of applications merged away from `$source` (the merges records keep
# the deleted rows): an export imported again does not bring them back. One column, `source_key`.
MERGED_SOURCE_KEYS = """
SELECT g.source_key FROM (
    SELECT unnest(from_json(undo->'$.deleted.applications', '[{"source": "VARCHAR", "source_key": "VARCHAR"}]'),
                  recursive := true)
    FROM merges WHERE user_id = $user
) g WHERE g.source = $source AND g.source_key IS NOT NULL"""


def existing_application(run: Run, application_id: int | float | None) -> int | None:
    """Inside a write: the id of this user's application (None for none), refused if it is gone.
    Check-ins and reflections link an application this way."""
    if application_id is None or (isinstance(application_id, float) and application_id != application_id):  # NaN
        return None
    found = run(
        "SELECT id FROM applications WHERE user_id = $user AND id = $id", {"id": int(application_id)}
    ).fetchone()
    if found is None:
        raise ValidationError("That application no longer exists; choose another or none.")
    return int(found[0])
