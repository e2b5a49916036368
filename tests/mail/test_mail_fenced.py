"""Mailbox messages are read in the fenced worker, a batch per worker: a header bomb is a named problem
while the rest are read, and a message that breaks the worker (a crash, a ceiling) is named and skipped."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from dovecot_server import FIXTURES, SAMPLES, sample
from hostile_readers import CRASH, UNCAPPED, crashing, uncapped

from rebound import fence
from rebound.mail.scan import fenced_messages, scan_paths

sys.path.insert(0, str(Path(__file__).parent))
from test_mail_bombs import header_bomb  # noqa: E402


def marked(raw: bytes, mark: bytes) -> bytes:
    return mark + b"\r\n" + raw


def batch(*extra: tuple[str, bytes]) -> list[tuple[str, bytes]]:
    return [(f"UID {i}", sample(n)) for i, n in enumerate(SAMPLES, 1)] + list(extra)


def findings_of_the_samples():
    return sorted(f.message_key for f in scan_paths([FIXTURES / f"{n}.eml" for n in SAMPLES], []).findings)


@pytest.fixture
def worker_starts(monkeypatch):
    calls = []
    original = fence.run

    def counting(func, *args, **kwargs):
        calls.append(len(args[0]))
        return original(func, *args, **kwargs)

    monkeypatch.setattr(fence, "run", counting)
    return calls


def test_a_batch_is_read_in_one_worker_as_its_eml_files_are(worker_starts):
    result = fenced_messages(batch(), [])
    assert worker_starts == [len(SAMPLES)]
    assert result.messages == len(SAMPLES) and not result.problems
    assert sorted(f.message_key for f in result.findings) == findings_of_the_samples()


def test_a_header_bomb_is_a_named_problem_and_the_others_are_read(worker_starts):
    result = fenced_messages(batch(("UID 99", header_bomb("Subject"))), [])
    assert worker_starts == [len(SAMPLES) + 1]  # cut before decoding: the worker holds, nothing to split
    assert [(p.source, p.message) for p in result.problems] == [
        ("UID 99", "its subject header is too long: only its start was read")
    ]
    assert result.messages == len(SAMPLES) + 1
    assert findings_of_the_samples() == sorted(
        f.message_key for f in result.findings if f.message_key != "<bomb@acme.example>"
    )


def test_a_message_that_crashes_its_reader_is_named_and_the_rest_are_read(worker_starts):
    bad = ("UID 50", marked(sample("offer_en"), CRASH))
    messages = batch()
    messages.insert(3, bad)
    result = fenced_messages(messages, [], reader=crashing)
    assert [p.source for p in result.problems] == ["UID 50"]
    assert "stopped the reader unexpectedly" in result.problems[0].message
    assert result.messages == len(SAMPLES)
    assert sorted(f.message_key for f in result.findings) == findings_of_the_samples()
    # split in halves around the one message: a few worker starts, not one per message
    assert worker_starts[0] == len(SAMPLES) + 1 and len(worker_starts) <= 2 * 4 + 1


@pytest.mark.slow
def test_a_message_over_the_workers_ceiling_is_named_and_the_rest_are_read():
    """Without the header cap (the `uncapped` reader), the bomb needs gigabytes: the worker's memory or
    CPU ceiling stops it; that message is a problem, and the others are still read."""
    bomb = ("UID 99", marked(header_bomb("Subject"), UNCAPPED))
    result = fenced_messages([*batch()[:2], bomb], [], reader=uncapped, cpu_seconds=10)
    assert [p.source for p in result.problems] == ["UID 99"]
    assert "than Rebound allows for reading one mail" in result.problems[0].message
    assert result.messages == 2
