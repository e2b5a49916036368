"""Unsaved form drafts, per user (store.drafts): what was typed into a form that is not saved yet.

A draft is a form id ("reflect:journal", "checkin:new", "flow:state" …) and the form's
field values. Draft writes happen on every committed widget change, so they are kept
cheap: one small upsert, no data-revision bump (drafts feed no chart or cached read),
and reads go straight to the table (the read cache is keyed by that revision).
"""

from __future__ import annotations

import datetime as dt
import json

from rebound.dates import utcnow
from rebound.errors import ValidationError
from rebound.repository import Repository, Run
from rebound.vocab import application_label

MAX_DRAFT_CHARS = 2_000_000  # far above any form's limits; a guard, not a policy
_DATE = "$date"


def encode_fields(fields: dict) -> str:
    """JSON for a form's values: dates tagged so they come back as dates; private keys (_, ~) left out."""

    def tag(value: object) -> object:
        if isinstance(value, dt.datetime):
            return {_DATE: value.date().isoformat()}
        if isinstance(value, dt.date):
            return {_DATE: value.isoformat()}
        if isinstance(value, (set, tuple)):
            return list(value)
        if hasattr(value, "item"):  # a numpy number (ids read through pandas)
            return value.item()
        raise TypeError(f"a draft cannot hold {type(value).__name__}")

    kept = {k: v for k, v in fields.items() if not str(k).startswith(("_", "~"))}
    return json.dumps(kept, ensure_ascii=False, default=tag)


def decode_fields(text: object) -> dict:
    def untag(obj: dict) -> object:
        if set(obj) == {_DATE}:
            try:
                return dt.date.fromisoformat(obj[_DATE])
            except (TypeError, ValueError):
                return None
        return obj

    try:
        loaded = json.loads(text, object_hook=untag) if isinstance(text, str) else text
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def drop_draft(run: Run, form_id: str | None) -> None:
    """Inside another write's transaction: saving a form and deleting its draft land together."""
    if form_id:
        run("DELETE FROM drafts WHERE user_id = $user AND form_id = $form", {"form": str(form_id)})


class DraftsRepository(Repository):
    def all(self) -> dict[str, tuple[dict, dt.datetime]]:
        """form_id -> (fields, updated_at in UTC) for every draft of this user."""
        sql = "SELECT form_id, fields, updated_at FROM drafts WHERE user_id = $user ORDER BY updated_at"
        rows = self.db.cursor().execute(sql, self._params(sql, None)).fetchall()
        return {form_id: (decode_fields(fields), updated_at) for form_id, fields, updated_at in rows}

    def save(self, form_id: str, fields: dict, now: dt.datetime | None = None) -> dt.datetime:
        """Insert or replace this form's draft; returns its time stamp (UTC)."""
        text = encode_fields(fields)
        if len(text) > MAX_DRAFT_CHARS:
            raise ValidationError("This draft is too long to keep across a reload; save it or shorten it.")
        when = now or utcnow()
        sql = (
            "INSERT OR REPLACE INTO drafts (user_id, form_id, fields, updated_at)"
            " VALUES ($user, $form, $fields::JSON, $when)"
        )
        with self.db.transaction() as cur:
            cur.execute(sql, self._params(sql, {"form": str(form_id), "fields": text, "when": when}))
        return when

    def delete(self, form_id: str) -> None:
        sql = "DELETE FROM drafts WHERE user_id = $user AND form_id = $form"
        with self.db.transaction() as cur:
            cur.execute(sql, self._params(sql, {"form": str(form_id)}))

    def application_title(self, application_id: int | None) -> str:
        """'Company — Role' for a draft's application (e.g. a flow's), '' if it is gone; no pandas."""
        if application_id is None:
            return ""
        rows = self._rows(
            "SELECT company, role FROM applications WHERE user_id = $user AND id = $id", {"id": int(application_id)}
        )
        return application_label(*rows[0]) if rows else ""
