"""A mailbox password, kept only where the user asked: the operating system's keyring (macOS Keychain,
Windows Credential Locker, the Secret Service on Linux) through the `keyring` library, under the
account's key (user@host:port). Never in the database, a log, an export or a backup.
"""

from __future__ import annotations

import os
from types import ModuleType

from rebound.errors import MailboxError

SERVICE = "Rebound mailbox"
PASSWORD_ENV = "REBOUND_IMAP_PASSWORD"
NO_KEYRING = (
    "This computer has no password store Rebound can use (no keyring: the Secret Service, macOS Keychain or "
    "Windows Credential Locker), so the password cannot be remembered. It is used for this check only; "
    f"from the command line, {PASSWORD_ENV} can hold it."
)


def _keyring() -> ModuleType:
    """The keyring library, loaded only when a password is looked up (it probes the OS's stores)."""
    import keyring
    import keyring.errors

    return keyring


def saved_password(account_key: str) -> str | None:
    """The password remembered for this account, or None (none saved, or no keyring on this computer)."""
    keyring = _keyring()
    try:
        return keyring.get_password(SERVICE, account_key)
    except keyring.errors.KeyringError:
        return None


def remember_password(account_key: str, password: str) -> None:
    """Keep the password in the OS keyring; MailboxError (with what to do) when there is none."""
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, account_key, password)
    except keyring.errors.NoKeyringError:
        raise MailboxError(NO_KEYRING) from None
    except keyring.errors.KeyringError as error:
        raise MailboxError(f"The password store refused to keep the password ({type(error).__name__}).") from None


def forget_password(account_key: str) -> bool:
    """Remove a remembered password; True if there was one."""
    keyring = _keyring()
    try:
        keyring.delete_password(SERVICE, account_key)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError:
        return False
    return True


def password_from_env() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None
