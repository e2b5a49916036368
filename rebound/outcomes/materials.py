"""The versions of the user's CV and cover letter (store.materials): user-scoped SQL over
`material_versions` (migration 012) and the checks of what goes in.

A version is a label, the day it was made and what changed and why ("after Initech's feedback");
the file itself is kept only when the user chooses (its bytes in the database, at most
MAX_FILE_BYTES, a PDF, DOCX or TXT recognised from its bytes, never from its name). Applications
point at the versions they were sent with (applications.cv_version_id, letter_version_id; written
by ApplicationsRepository, checked here with `check_version_in`). Deleting a version that
applications used keeps its label (marked deleted, its file dropped), so those applications and
their rates keep saying what they were sent with: "deleted version: <label>".
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rebound.dates import utcnow
from rebound.errors import ValidationError
from rebound.limits import MB, open_zip
from rebound.repository import Repository

if TYPE_CHECKING:
    from rebound.repository import Run

KINDS = {"cv": "CV", "cover_letter": "Cover letter"}  # kind -> what the user reads
COLUMN = {"cv": "cv_version_id", "cover_letter": "letter_version_id"}  # the application's column per kind
MAX_LABEL = 120
MAX_CHANGES = 2_000
MAX_FILE_NAME = 200
MAX_FILE_BYTES = 5 * MB  # a CV is a few hundred KB; a scanned one a few MB
FILE_TYPES = {  # type -> (what the user reads, the media type a download is served with: never HTML)
    "pdf": ("PDF", "application/pdf"),
    "docx": ("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "txt": ("plain text", "text/plain"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class MaterialFile:
    name: str
    type: str  # a FILE_TYPES key
    data: bytes

    @property
    def media_type(self) -> str:
        return FILE_TYPES[self.type][1]


def deleted_label(label: str, deleted: bool) -> str:
    """How a version is named wherever it is shown: a deleted one says so."""
    return f"deleted version: {label}" if deleted else label


def check_fields(kind: str, label: object, made_on: object, changes: object, today: dt.date) -> dict[str, Any]:
    """The version's fields, trimmed, or ValidationError with what to fix (pure)."""
    if kind not in KINDS:
        raise ValidationError(f"Unknown kind of material {kind!r}; choose a CV or a cover letter.")
    label = str(label or "").strip()
    if not label:
        raise ValidationError("Please name the version (e.g. “v3 — shorter summary”).")
    if len(label) > MAX_LABEL:
        raise ValidationError(f"The version's name is too long ({len(label):,} characters; at most {MAX_LABEL}).")
    if isinstance(made_on, dt.datetime):
        made_on = made_on.date()
    if not isinstance(made_on, dt.date):
        raise ValidationError("Please choose the day this version was made.")
    if made_on > today:
        raise ValidationError("The version's date is in the future; pick the day it was made.")
    changes = str(changes or "").strip()
    if len(changes) > MAX_CHANGES:
        raise ValidationError(f"“What changed” is too long ({len(changes):,} characters; at most {MAX_CHANGES:,}).")
    return {"kind": kind, "label": label, "made_on": made_on, "changes": changes or None}


def file_name(name: object) -> str:
    """A file's name as kept: its last path part, without control characters, at most MAX_FILE_NAME."""
    base = os.path.basename(str(name or "").replace("\\", "/"))
    base = _CONTROL.sub("", base).strip() or "file"
    return base[-MAX_FILE_NAME:]


def check_file(name: object, data: bytes) -> MaterialFile:
    """A file to keep: PDF, DOCX or TXT, recognised from its bytes, at most MAX_FILE_BYTES (pure).
    Anything else is refused with a message that says why; nothing is kept."""
    shown = file_name(name)
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{shown} is {len(data) / MB:,.1f} MB; Rebound keeps files of at most {MAX_FILE_BYTES // MB} MB. "
            "Save the version without its file, or keep a smaller copy (a PDF export is usually well under 1 MB)."
        )
    if not data:
        raise ValidationError(f"{shown} is empty; nothing to keep.")
    if data.startswith(b"%PDF-"):
        return MaterialFile(shown, "pdf", data)
    if data.startswith(b"PK\x03\x04"):
        with open_zip(data, shown, max_unpacked=64 * MB) as z:
            names = set(z.namelist())
        if "word/document.xml" in names:
            return MaterialFile(shown, "docx", data)
        raise ValidationError(f"{shown} is a .zip but not a Word document (.docx); keep a PDF, DOCX or TXT.")
    if b"\x00" not in data:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        else:
            return MaterialFile(shown, "txt", data)
    raise ValidationError(f"{shown} is not a PDF, a Word document (.docx) or plain text; Rebound keeps only those.")


def check_version_in(run: Run, version_id: object, kind: str, allow_deleted: bool = False) -> int | None:
    """Inside a write (an application's): the version id if it is one of this user's versions of
    `kind` (a deleted one only with `allow_deleted`: an application keeps the one it had), else
    ValidationError. None stays None (not recorded)."""
    if version_id is None or version_id == "" or version_id != version_id:  # None, blank (a conflict's), NaN
        return None
    found = run(
        "SELECT kind, deleted_at IS NOT NULL FROM material_versions WHERE user_id = $user AND id = $id",
        {"id": int(version_id)},  # type: ignore[call-overload]  # an id from a form or a frame
    ).fetchone()
    if found is None or found[0] != kind:
        raise ValidationError(f"That {KINDS[kind]} version no longer exists; pick another (or none).")
    if found[1] and not allow_deleted:
        raise ValidationError(f"That {KINDS[kind]} version was deleted; pick another (or none).")
    return int(version_id)  # type: ignore[call-overload]


class MaterialsRepository(Repository):
    """The user's CV and cover-letter versions: every query binds $user."""

    def add(
        self,
        kind: str,
        label: str,
        made_on: dt.date,
        changes: str | None = "",
        file: MaterialFile | None = None,
        today: dt.date | None = None,
    ) -> int:
        """A new version; `file` (from check_file) only when the user chose to keep it."""
        fields = check_fields(kind, label, made_on, changes, today or dt.date.today())
        kept = {
            "file_name": file.name if file else None,
            "file_type": file.type if file else None,
            "file_size": len(file.data) if file else None,
            "file_data": file.data if file else None,
        }
        with self._write() as run:
            return int(
                run(
                    "INSERT INTO material_versions (user_id, kind, label, made_on, changes,"
                    " file_name, file_type, file_size, file_data, updated_at)"
                    " VALUES ($user, $kind, $label, $made_on, $changes, $file_name, $file_type, $file_size,"
                    " $file_data, $now) RETURNING id",
                    {**fields, **kept, "now": utcnow()},
                ).fetchone()[0]
            )

    def update(
        self,
        version_id: int,
        label: str,
        made_on: dt.date,
        changes: str | None = "",
        version: int | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Save the label, date and what changed; with `version` (the one the form was read at) only if
        nobody saved it since, else StaleEdit and nothing written. Returns the new version."""
        with self._write() as run:
            kind = run(
                "SELECT kind FROM material_versions WHERE user_id = $user AND id = $id", {"id": int(version_id)}
            ).fetchone()
            if kind is None:
                raise ValidationError("That version no longer exists (deleted in another tab?); nothing was saved.")
            fields = check_fields(kind[0], label, made_on, changes, today or dt.date.today())
            fields.pop("kind")
            return self._versioned_update(
                run, "material_versions", version_id, version, fields, what="version", where="deleted_at IS NULL"
            )

    def drop_file(self, version_id: int) -> None:
        """Forget the kept file (the version stays)."""
        with self._write() as run:
            run(
                "UPDATE material_versions SET file_data = NULL, file_size = NULL, file_type = NULL, file_name = NULL,"
                " version = coalesce(version, 1) + 1, updated_at = $now WHERE user_id = $user AND id = $id",
                {"id": int(version_id), "now": utcnow()},
            )

    def delete(self, version_id: int) -> int:
        """Delete a version. One no application used goes; one that applications used is marked
        deleted (its file dropped, its label kept, so they still say what they were sent with).
        Returns how many applications used it."""
        with self._write() as run:
            used = run(
                "SELECT count(*) FROM applications WHERE user_id = $user AND (cv_version_id = $id"
                " OR letter_version_id = $id)",
                {"id": int(version_id)},
            ).fetchone()[0]
            if used:
                run(
                    "UPDATE material_versions SET deleted_at = coalesce(deleted_at, $now), file_data = NULL,"
                    " file_size = NULL, file_type = NULL, version = coalesce(version, 1) + 1, updated_at = $now"
                    " WHERE user_id = $user AND id = $id",
                    {"id": int(version_id), "now": utcnow()},
                )
            else:
                run("DELETE FROM material_versions WHERE user_id = $user AND id = $id", {"id": int(version_id)})
        return int(used)

    def all(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Records, oldest first within each kind: id, kind, label, made_on, changes, file_name,
        file_type, file_size, deleted, version, applications (how many were sent with it)."""
        return self._records(
            f"""
            SELECT m.id, m.kind, m.label, m.made_on, m.changes, m.file_name, m.file_type, m.file_size,
                   m.deleted_at IS NOT NULL AS deleted, coalesce(m.version, 1) AS version,
                   (SELECT count(*) FROM applications a WHERE a.user_id = $user
                      AND (a.cv_version_id = m.id OR a.letter_version_id = m.id))::INTEGER AS applications
            FROM material_versions m
            WHERE m.user_id = $user {"" if include_deleted else "AND m.deleted_at IS NULL"}
            ORDER BY m.kind, m.made_on, m.id"""
        )

    def latest(self, kind: str) -> int | None:
        """The newest version of `kind` not deleted (the default when logging an application)."""
        found = self._one(
            "SELECT id FROM material_versions WHERE user_id = $user AND kind = $kind AND deleted_at IS NULL"
            " ORDER BY made_on DESC, id DESC LIMIT 1",
            {"kind": kind},
        )
        return None if found is None else int(found)

    def file(self, version_id: int) -> MaterialFile | None:
        """The kept file of a version, or None."""
        row = self._rows(
            "SELECT file_name, file_type, file_data FROM material_versions"
            " WHERE user_id = $user AND id = $id AND file_data IS NOT NULL",
            {"id": int(version_id)},
        )
        if not row or row[0][1] not in FILE_TYPES:
            return None
        name, type_, data = row[0]
        return MaterialFile(str(name), str(type_), bytes(data))
