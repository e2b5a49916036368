"""The exceptions more than one layer shares, defined once (no Streamlit, no SQL, imports nothing).

Raised by the rules, the repositories, importing/backup and the database layer; caught by the
pages (rebound.ui) and the CLI, which show the message as it is: every message here is written for
the person using Rebound, never a traceback. Other modules re-export these names only by
importing them from here (`from rebound.errors import ValidationError`), never by redefining them.
"""

from __future__ import annotations


class ValidationError(ValueError):
    """Input the user must fix; the message is shown as it is.

    Also what an import or a backup restore raises for a file Rebound will not read (too big,
    damaged, the wrong format), and what a limit (rebound.limits) raises when it is exceeded:
    in each case nothing was written."""


class MailReadError(ValueError):
    """A file or text that cannot be read as mail; the message is for the user."""


class DatabaseError(Exception):
    """A problem with the database file that the user can act on."""


class DatabaseLockedError(DatabaseError):
    """Another program (a second app, a `rebound` CLI run) holds the local database file."""


class DatabaseFileError(DatabaseError):
    """The database file (or its .wal) is damaged or not a DuckDB file; it was left untouched."""


class PassphraseNeeded(DatabaseError):
    """The database file is encrypted and no passphrase (or a wrong one) was given; nothing was read."""


class SessionsFull(Exception):
    """Every private demo session of a hosted copy is in use right now."""


class MailboxError(Exception):
    """A mailbox that cannot be read (wrong password, a certificate that does not verify, a server that
    refuses or does not answer); the message is for the user and never holds the password."""


class StaleEdit(ValidationError):
    """A save of a record read at an older version: another tab, window or process saved it since.
    Nothing was written. `theirs` holds the saved fields now (by column), `version` the version they
    are at (save again with it to keep yours), `changed_at` when they were saved (None if unknown)."""

    def __init__(self, what: str, theirs: dict, version: int, changed_at: object = None) -> None:
        self.what = what
        self.theirs = theirs
        self.version = version
        self.changed_at = changed_at
        super().__init__(
            f"This {what} was changed in another tab or window since you opened it; nothing was saved. "
            "Reload it to see the newer version, then make your change again."
        )
