"""Readers the fenced worker imports by name in tests (rebound.mail.scan.fenced_messages' `reader`): each
reads a message as Rebound does, except the one marked to break the worker."""

from __future__ import annotations

import os
from email import message_from_bytes, policy
from typing import BinaryIO

from rebound.mail.parse import read_eml_file

CRASH = b"X-Test: crash"
UNCAPPED = b"X-Test: uncapped"


def crashing(fh: BinaryIO, name: str):
    """The marked message kills its reader (as a crash in a C parser would)."""
    raw = fh.read()
    if CRASH in raw:
        os._exit(3)
    fh.seek(0)
    return read_eml_file(fh, name)


def uncapped(fh: BinaryIO, name: str):
    """The marked message's subject decoded whole, without Rebound's cap: a header bomb then needs
    gigabytes, and the worker meets its memory (or CPU) ceiling."""
    raw = fh.read()
    if UNCAPPED in raw:
        str(message_from_bytes(raw, policy=policy.default)["subject"])
    fh.seek(0)
    return read_eml_file(fh, name)
