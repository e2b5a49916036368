"""Hostile mail: a header folded into 30,000 RFC 2047 encoded-words (the red team's 450 KB .eml took a
server from 248 MB to 6.3 GB), and a sender's name that decodes to a line break and another address."""

from __future__ import annotations

import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from rebound.mail import parse
from rebound.mail.parse import parse_bytes

sys.path.insert(0, str(Path(__file__).parents[1] / "importing"))
from child_peak import peak_from_outside  # noqa: E402

SERVER_PEAK_MB = 600


def header_bomb(field: str = "Subject", words: int = 30_000) -> bytes:
    folded = "\r\n ".join("=?utf-8?q?a?=" for _ in range(words))
    subject = folded if field == "Subject" else "Your application"
    sender = f"{folded} <jobs@acme.example>" if field == "From" else "Acme Recruiting <jobs@acme.example>"
    return (
        f"From: {sender}\r\nTo: me@example.com\r\nSubject: {subject}\r\nDate: Mon, 7 Dec 2026 09:00:00 +0000\r\n"
        "Message-ID: <bomb@acme.example>\r\n\r\nWe regret to inform you that we will not move forward.\r\n"
    ).encode()


@pytest.mark.parametrize("field", ["Subject", "From"])
def test_a_header_of_encoded_words_is_cut_before_it_is_decoded(field):
    raw = header_bomb(field)
    assert 400_000 < len(raw) < 500_000
    mail = parse_bytes(raw, "bomb.eml")
    assert f"its {field.lower()} header is too long: only its start was read" in mail.notes
    if field == "Subject":
        assert mail.subject == "a" * parse.MAX_ENCODED_WORDS
    else:  # the name is cut; the address after it is still the sender's
        assert (mail.sender_name.replace(" ", ""), mail.sender_addr) == (
            "a" * parse.MAX_ENCODED_WORDS,
            "jobs@acme.example",
        )
    assert mail.body.startswith("We regret to inform you")


def test_a_header_under_the_caps_is_read_whole():
    mail = parse_bytes(header_bomb("Subject", words=parse.MAX_ENCODED_WORDS), "fine.eml")
    assert mail.subject == "a" * parse.MAX_ENCODED_WORDS and not mail.notes


@pytest.mark.parametrize(
    "sender, name",
    [
        ("=?utf-8?q?Acme=0D=0Aevil=40x.example?= <hr@acme.example>", "Acme evil@x.example"),
        ("=?utf-8?b?QWNtZQ0KPGV2aWxAeC5leGFtcGxlPg==?= <hr@acme.example>", "Acme <evil@x.example>"),
        ("=?utf-8?q?Acme_=3Cevil=40x.example=3E=0D=0A?= <hr@acme.example>", "Acme <evil@x.example>"),
        ("=?utf-8?q?M=C3=BCller_HR?= <hr@acme.example>", "Müller HR"),
    ],
)
def test_an_encoded_line_break_in_the_senders_name_never_replaces_the_address(sender, name):
    mail = parse_bytes(f"From: {sender}\r\nSubject: Hello\r\n\r\nHi\r\n".encode(), "x.eml")
    assert (mail.sender_name, mail.sender_addr) == (name, "hr@acme.example")


@pytest.mark.slow
@pytest.mark.parametrize("field", ["Subject", "From"])
def test_the_header_bomb_leaves_the_server_small(tmp_path, field):
    """`rebound mail` on the red team's .eml, its memory watched from outside: before, it decoded the
    header in its own process (gigabytes); now the header is cut before decoding, in the worker."""
    path = tmp_path / "bomb.eml"
    path.write_bytes(header_bomb(field))
    code, err, peak = peak_from_outside(
        [sys.executable, "-m", "rebound", "mail", str(path), "--json", "--db", str(tmp_path / "m.duckdb")],
        timeout=240,
    )
    print(f"header bomb ({field}): server peak {peak:.0f} MB")
    assert peak < SERVER_PEAK_MB, (peak, err[-2000:])
    assert code == 0 and "Traceback" not in err, err[-2000:]
    assert "header is too long: only its start was read" in err


def decode_uncapped(raw: bytes) -> str:
    """What Python's own parser does with the whole header (no cap): the fence must hold it."""
    return str(message_from_bytes(raw, policy=policy.default)["subject"])


@pytest.mark.slow
def test_the_fence_alone_holds_an_uncapped_header_bomb():
    """Without the cap, decoding the header needs gigabytes: the worker meets its ceiling (memory,
    or CPU time on a slow machine) and the caller gets a plain message instead."""
    from rebound import fence
    from rebound.fence import FenceError

    with pytest.raises(FenceError, match="than Rebound allows for one mail read") as raised:
        fence.run(decode_uncapped, header_bomb("Subject"), what="one mail read")
    assert raised.value.reason in ("memory", "cpu")
