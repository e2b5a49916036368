"""Reading mail: .eml, mbox streaming, pasted text, encodings, quotes and forwards, bad input."""

from __future__ import annotations

import base64
import datetime as dt
import tracemalloc
from email.message import EmailMessage
from pathlib import Path

import pytest

from rebound.mail.parse import Mail, MailReadError, Problem, parse_bytes, parse_pasted, read_file
from rebound.mail.scan import scan_paths

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"


def one(path: Path) -> Mail:
    """The message of a fixture, its body's wrapped lines joined (plain mail wraps at 76 columns)."""
    mails = [m for m in read_file(path) if isinstance(m, Mail)]
    assert len(mails) == 1
    mail = mails[0]
    mail.body = "\n\n".join(" ".join(p.split()) for p in mail.body.split("\n\n"))
    return mail


def mbox_of(*names: str) -> bytes:
    """An mbox as Thunderbird and Google Takeout write it: a From_ line, the message, a blank line."""
    out = b""
    for name in names:
        raw = (FIXTURES / f"{name}.eml").read_bytes().replace(b"\r\n", b"\n")
        raw = b"\n".join(b">" + line if line.startswith(b"From ") else line for line in raw.split(b"\n"))
        out += b"From MAILER-DAEMON Mon Nov 23 10:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n"
    return out


# -- headers and bodies -------------------------------------------------------------------------
def test_rfc2047_subject_and_sender_are_decoded():
    mail = one(FIXTURES / "fr_rejection_cp1252.eml")
    assert mail.subject == "Votre candidature au poste de Chef de projet"
    assert mail.sender_name == "Recrutement Société Lumière"
    assert mail.sender_addr == "recrutement@lumiere.fr"
    assert "n’a pas été retenue" in mail.body  # windows-1252 quoted-printable body
    assert mail.date == dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def test_base64_bodies_and_iso_2022_jp_headers():
    assert "won't be moving forward" in one(FIXTURES / "ashby_rejection_base64.eml").body
    ja = one(FIXTURES / "ja_mercari_received.eml")
    assert ja.subject == "ご応募ありがとうございます"
    assert "株式会社メルカリ" in ja.body
    sjis = one(FIXTURES / "shift_jis_interview.eml")
    assert sjis.sender_name == "メルカリ 採用チーム" and "株式会社メルカリ" in sjis.body


def test_html_only_body_becomes_text_without_markup_scripts_or_styles():
    mail = one(FIXTURES / "lever_rejection_after_interview_html.eml")
    assert "Kubernetes experience" in mail.body
    for noise in ("<p", "track()", "font-family", "display:none"):
        assert noise not in mail.body


def test_multipart_alternative_prefers_the_plain_part():
    mail = one(FIXTURES / "ashby_rejection_base64.eml")
    assert mail.body.count("won't be moving forward") == 1


def test_attachments_are_skipped():
    mail = one(FIXTURES / "attachment_small_rejection.eml")
    assert "not be progressing" in mail.body
    assert "PDF" not in mail.body and "offer letter" not in mail.body


def test_unknown_charset_is_read_with_a_note():
    items = list(read_file(FIXTURES / "unknown_charset_body.eml"))
    mail = next(i for i in items if isinstance(i, Mail))
    assert "won't be moving forward" in mail.body
    assert any("unknown charset 'x-klingon-8'" in p.message for p in items if isinstance(p, Problem))
    assert "Update" in mail.subject


def test_malformed_headers_do_not_stop_reading():
    mail = one(FIXTURES / "malformed_headers.eml")
    assert mail.date is None  # "yesterday-ish"
    assert "received your application" in mail.body
    assert mail.message_id == "<malformed@fixtures.rebound>"
    assert "nimbus" in (mail.sender_name + mail.sender_addr).lower()


def test_a_message_without_message_id_gets_a_stable_hash_of_its_headers():
    a = one(FIXTURES / "no_message_id.eml")
    b = one(FIXTURES / "no_message_id.eml")
    assert a.message_id.startswith("<sha256-") and a.message_id == b.message_id


def test_a_message_with_no_body():
    mail = one(FIXTURES / "no_body.eml")
    assert mail.body == "" and mail.subject == "(no subject)"


# -- replies and forwards ------------------------------------------------------------------------
def test_quoted_reply_is_cut():
    mail = one(FIXTURES / "reply_quoted_user.eml")
    assert mail.body.startswith("Thanks, Tuesday at 10 works")
    assert "invite you" not in mail.body


def test_outlook_original_message_is_cut():
    mail = one(FIXTURES / "outlook_reply_rejection.eml")
    assert "decided not to proceed" in mail.body
    assert "schedule an interview" not in mail.body


def test_a_forward_is_read_as_the_message_it_forwards():
    mail = one(FIXTURES / "forwarded_rejection.eml")
    assert mail.forwarded
    assert (mail.sender_name, mail.sender_addr) == ("Acme Recruiting", "jobs@acme.com")
    assert mail.subject == "Your application to Acme"
    assert "decided not to proceed" in mail.body and "fyi" not in mail.body
    de = one(FIXTURES / "de_forwarded_interview.eml")
    assert de.sender_addr == "bewerbung@muster.de" and de.subject == "Einladung"


# -- pasted text -----------------------------------------------------------------------------------
def test_pasted_text_with_header_lines():
    mail = parse_pasted(
        "From: Acme Recruiting <jobs@acme.com>\nSubject: Your application\nDate: Fri, 20 Nov 2026 09:00:00 +0000\n\n"
        "Hi Sam,\nwe have decided not to proceed.\n"
    )
    assert (mail.sender_addr, mail.subject, mail.day) == ("jobs@acme.com", "Your application", dt.date(2026, 11, 20))
    assert "not to proceed" in mail.body


def test_pasted_body_with_separate_subject_and_a_bare_company_as_sender():
    mail = parse_pasted(
        "Unfortunately we will not move forward.", subject="Update", sender="Acme, Inc.", today=dt.date(2026, 11, 30)
    )
    assert (mail.sender_name, mail.sender_addr, mail.subject, mail.day) == (
        "Acme, Inc.",
        "",
        "Update",
        dt.date(2026, 11, 30),
    )
    again = parse_pasted("Unfortunately we will not move forward.", subject="Update", sender="Acme, Inc.")
    assert again.message_id == mail.message_id  # pasting the same mail twice is the same message


def test_pasting_nothing_is_a_clear_error():
    with pytest.raises(MailReadError, match="Paste"):
        parse_pasted("   ")


# -- mbox -----------------------------------------------------------------------------------------
def test_mbox_streams_every_message_and_unescapes_from_lines(tmp_path):
    path = tmp_path / "All mail.mbox"
    path.write_bytes(
        mbox_of("greenhouse_rejection_en", "lever_received", "job_alert_unfortunately")
        + b"From x Mon Nov 23 10:00:00 2026\nFrom: a@b.c\nSubject: s\n\nline\n>From here on\n\n"
    )
    mails = [m for m in read_file(path) if isinstance(m, Mail)]
    assert [m.subject for m in mails][:3] == [
        "Your application to Acme",
        "Thanks for applying to Nimbus Labs",
        "Data Analyst: 14 new jobs in Berlin",
    ]
    assert "From here on" in mails[3].body and ">From" not in mails[3].body


def test_truncated_mbox_reads_what_is_there_and_says_so(tmp_path):
    data = mbox_of("greenhouse_rejection_en", "lever_rejection_after_interview_html")
    path = tmp_path / "cut.mbox"
    path.write_bytes(data[: len(data) - 400])
    items = list(read_file(path))
    assert [i.subject for i in items if isinstance(i, Mail)] == [
        "Your application to Acme",
        "Nimbus Labs - Backend Engineer",
    ]
    assert any("cut off" in p.message for p in items if isinstance(p, Problem))


def test_binary_file_named_mbox_is_refused_clearly(tmp_path):
    path = tmp_path / "photo.mbox"
    path.write_bytes(bytes(range(256)) * 100)
    items = list(read_file(path))
    assert len(items) == 1 and isinstance(items[0], Problem) and "binary" in items[0].message


def test_text_that_is_not_mail_is_refused(tmp_path):
    path = tmp_path / "notes.mbox"
    path.write_text("just some notes\nnothing else\n")
    (problem,) = read_file(path)
    assert "does not start with a 'From ' line" in problem.message


def test_folder_of_eml_files_and_missing_paths(tmp_path):
    result = scan_paths([FIXTURES, tmp_path / "nope.mbox"], [])
    assert result.messages == len(list(FIXTURES.glob("*.eml")))
    assert any("does not exist" in p.message for p in result.problems)


def test_a_50_mb_attachment_is_skipped_with_bounded_memory(tmp_path):
    msg = EmailMessage()
    msg["From"] = "Acme Recruiting <jobs@acme.com>"
    msg["Subject"] = "Your application"
    msg["Message-ID"] = "<big@x>"
    msg.set_content("Hi Sam,\n\nunfortunately we have decided not to proceed with your application.\n")
    msg.add_attachment(b"\0" * 10, maintype="application", subtype="octet-stream", filename="portfolio.zip")
    head, tail = bytes(msg).rsplit(base64.b64encode(b"\0" * 10), 1)
    path = tmp_path / "big.mbox"
    line = base64.b64encode(b"\x01" * 57) + b"\n"  # 76-character base64 lines, 50 MB of them
    with open(path, "wb") as fh:
        fh.write(b"From x Mon Nov 23 10:00:00 2026\n" + head)
        for _ in range(50 * 1024 * 1024 // len(line)):
            fh.write(line)
        fh.write(tail + b"\n\nFrom y Mon Nov 23 10:00:00 2026\nFrom: b@c.d\nSubject: after\n\nsecond\n")
    assert path.stat().st_size > 50 * 1024 * 1024
    tracemalloc.start()
    items = list(read_file(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    mails = [i for i in items if isinstance(i, Mail)]
    assert [m.subject for m in mails] == ["Your application", "after"]
    assert "not to proceed" in mails[0].body
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes"  # the attachment never sat in memory


def test_parse_bytes_never_raises_on_garbage():
    for raw in (
        b"",
        b"\xff\xfe\x00garbage",
        b"Subject: =?utf-8?b?!!!?=\n\n\xff",
        b"Content-Type: multipart/mixed\n\nno boundary",
    ):
        assert isinstance(parse_bytes(raw), Mail)


def test_attachment_bodies_of_any_length_end_at_their_boundary(tmp_path):
    """Skipping an attachment in chunks finds the boundary wherever it falls (start, chunk edge, end)."""
    from rebound.mail.parse import _SKIP_CHUNK

    for body_len in (0, 1, _SKIP_CHUNK - 3, _SKIP_CHUNK, _SKIP_CHUNK + 5, 3 * _SKIP_CHUNK):
        body = b"".join(b"QUFB" * 19 + b"\n" for _ in range(body_len // 77 + 1))[:body_len]
        if body and not body.endswith(b"\n"):
            body += b"\n"
        raw = (
            b"From x Mon Nov 23 10:00:00 2026\nFrom: a@acme.com\nSubject: s\n"
            b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nfirst part\n'
            b"--b\nContent-Type: application/zip\nContent-Disposition: attachment; filename=z.zip\n\n"
            + body
            + b"--b\nContent-Type: text/plain\n\nafter the attachment\n--b--\n\n"
            b"From y Mon Nov 23 10:00:00 2026\nFrom: b@c.d\nSubject: second\n\nhello\n"
        )
        path = tmp_path / f"{body_len}.mbox"
        path.write_bytes(raw)
        mails = [m for m in read_file(path) if isinstance(m, Mail)]
        assert [m.subject for m in mails] == ["s", "second"], body_len
        assert "first part" in mails[0].body and "after the attachment" in mails[0].body, body_len
