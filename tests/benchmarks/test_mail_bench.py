"""The mail benchmark's mailbox is what it claims: Takeout-style mbox, HTML parts, attachments, all read."""

from __future__ import annotations

import mailbox

from benchmarks.mail_bench import ATTACHMENT_EVERY, write_mbox
from rebound.mail.scan import scan_paths


def test_bench_mailbox_is_read_whole_by_python_and_by_rebound(tmp_path):
    path = tmp_path / "bench.mbox"
    write_mbox(path, 40)
    messages = list(mailbox.mbox(str(path), create=False))
    assert len(messages) == 40
    types = {part.get_content_type() for m in messages for part in m.walk()}
    assert {"text/html", "text/plain", "multipart/alternative", "application/pdf"} <= types
    assert (
        sum(1 for m in messages if m.is_multipart() and m.get_content_type() == "multipart/mixed")
        == 40 // ATTACHMENT_EVERY
    )
    result = scan_paths(
        [path], [{"id": 1, "company": "Acme", "role": "Data Analyst", "status": "applied", "applied_on": "2026-11-01"}]
    )
    assert result.messages == 40 and not result.problems
    assert {f.kind for f in result.findings} == {"rejection", "received", "interview", "offer", "assessment"}
    assert any(f.application_id == 1 for f in result.findings)
