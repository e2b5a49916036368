"""A scan: read every message of some files (or pasted text), keep the ones about the job search
as findings matched to applications. Reads only; the store records findings as proposals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rebound import fence
from rebound.mail import classify as cl
from rebound.mail.match import match
from rebound.mail.parse import Mail, Problem, mail_files, parse_pasted, read_eml_file, read_file, read_upload

if TYPE_CHECKING:
    import os

MAX_FIELD = 300  # sender and subject are kept, shortened to this


@dataclass
class Finding:
    message_key: str
    mail_date: dt.date | None
    sender: str
    subject: str
    kind: str
    company: str
    role: str
    application_id: int | None
    confidence: float
    stage: str | None
    sentence: str
    reason: str | None
    content_hash: str = ""  # what the mail says (sender, subject, text): a Message-ID seen again is judged by it

    def as_json(self, status: str) -> dict[str, object]:
        """The CLI's contract for one finding."""
        return {
            "message_id": self.message_key,
            "date": self.mail_date.isoformat() if self.mail_date else None,
            "from": self.sender,
            "subject": self.subject,
            "kind": self.kind,
            "company": self.company or None,
            "role": self.role or None,
            "application_id": self.application_id,
            "reason": self.reason,
            "status": status,
        }


@dataclass
class ScanResult:
    messages: int = 0
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # why messages were left out: reason -> count
    duplicates: int = 0  # findings read twice (the same Message-ID and the same content): counted, not proposed


def content_hash(mail: Mail) -> str:
    """What a mail says, as a digest: its sender, subject and text (not its date or headers' order). A
    mail sent again with the same Message-ID but other content (an offer after a rejection) differs."""
    text = "\x1f".join((mail.sender, mail.subject, " ".join(mail.body.split())))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:32]


def finding_for(mail: Mail, applications: list[dict]) -> Finding | cl.Verdict:
    """A Finding for a job-search mail, or the Verdict saying why it is not one."""
    verdict = cl.classify(mail.subject, mail.body, mail.sender)
    if verdict.kind is None:
        return verdict
    m = match(mail.sender_name, mail.sender_addr, mail.subject, mail.body, applications, mail.day)
    return Finding(
        mail.message_id,
        mail.day,
        mail.sender[:MAX_FIELD],
        mail.subject[:MAX_FIELD],
        verdict.kind,
        m.company[:MAX_FIELD],
        m.role[:MAX_FIELD],
        m.application_id,
        round(m.confidence, 2),
        verdict.stage,
        verdict.sentence,
        verdict.reason,
        content_hash(mail),
    )


def scan_items(
    items: Iterable[Mail | Problem], applications: list[dict], result: ScanResult | None = None
) -> ScanResult:
    result = result or ScanResult()
    seen = {(f.message_key, f.content_hash) for f in result.findings}
    for item in items:
        if isinstance(item, Problem):
            result.problems.append(item)
            continue
        result.messages += 1
        found = finding_for(item, applications)
        if isinstance(found, cl.Verdict):
            result.skipped[found.why_not] = result.skipped.get(found.why_not, 0) + 1
        elif (found.message_key, found.content_hash) in seen:
            result.duplicates += 1  # the same mail twice (two folders, or one file given twice)
        else:  # a Message-ID seen before with other content is read too: store.mail.record tells them apart
            seen.add((found.message_key, found.content_hash))
            result.findings.append(found)
    return result


def merge(into: ScanResult, other: ScanResult) -> ScanResult:
    """Add what `other` read to `into` (a finding read by both counts once, as a duplicate)."""
    into.messages += other.messages
    into.problems.extend(other.problems)
    into.duplicates += other.duplicates
    for reason, n in other.skipped.items():
        into.skipped[reason] = into.skipped.get(reason, 0) + n
    seen = {(f.message_key, f.content_hash) for f in into.findings}
    for f in other.findings:
        if (f.message_key, f.content_hash) in seen:
            into.duplicates += 1
        else:
            seen.add((f.message_key, f.content_hash))
            into.findings.append(f)
    return into


def scan_paths(
    paths: Iterable[str | os.PathLike[str]],
    applications: list[dict],
    on_progress: Callable[[float, str], None] | None = None,
) -> ScanResult:
    """Every message in these files and folders; on_progress(share done 0..1, file name)."""
    files, problems = mail_files(paths)
    result = ScanResult(problems=problems)
    total = sum(f.stat().st_size for f in files) or 1
    done = 0
    for path in files:

        def progress(pos: int, base: int = done, name: str = path.name) -> None:
            if on_progress:
                on_progress(min(1.0, (base + pos) / total), name)

        scan_items(read_file(Path(path), progress), applications, result)
        done += path.stat().st_size
    if on_progress:
        on_progress(1.0, "")
    return result


def scan_uploads(
    uploads: Sequence[tuple[str, BinaryIO, int]],
    applications: list[dict],
    on_progress: Callable[[float, str], None] | None = None,
) -> ScanResult:
    """Uploaded files: (name, binary file object, size) each."""
    result = ScanResult()
    total = sum(size for _, _, size in uploads) or 1
    done = 0
    for name, fh, size in uploads:

        def progress(pos: int, base: int = done, name: str = name) -> None:
            if on_progress:
                on_progress(min(1.0, (base + pos) / total), name)

        scan_items(read_upload(name, fh, progress), applications, result)
        done += size
    return result


def scan_upload_bytes(
    uploads: Sequence[tuple[str, bytes]],
    applications: list[dict],
    on_progress: Callable[[float, str], None] | None = None,
) -> ScanResult:
    """scan_uploads over (name, bytes) pairs: what the fenced worker is sent for uploads."""
    import io

    return scan_uploads([(n, io.BytesIO(d), len(d)) for n, d in uploads], applications, on_progress)


Reader = Callable[[BinaryIO, str], Iterable[Mail | Problem]]


def scan_messages(messages: Sequence[tuple[str, bytes]], applications: list[dict], reader: Reader) -> ScanResult:
    """Raw messages (name, bytes: IMAP's BODY[]), each read as an .eml file is: what the fenced worker
    runs for a batch of a mailbox check (see fenced_messages)."""
    import io

    return scan_items((item for name, raw in messages for item in reader(io.BytesIO(raw), name)), applications)


def scan_pasted(text: str, subject: str, sender: str, applications: list[dict]) -> ScanResult:
    """One pasted email, read and classified. Raises MailReadError for nothing to read."""
    return scan_items([parse_pasted(text, subject=subject, sender=sender)], applications)


# -- fenced: how the app and the CLI read mail (rebound.fence: the OS bounds memory and CPU) -------
WHAT = "one mail read"


def fenced_paths(
    paths: Sequence[str | os.PathLike[str]],
    applications: list[dict],
    on_progress: Callable[[float, str], object] | None = None,
) -> ScanResult:
    return fence.run(scan_paths, [str(p) for p in paths], applications, what=WHAT, on_progress=on_progress)


def fenced_uploads(
    uploads: Sequence[tuple[str, bytes]],
    applications: list[dict],
    on_progress: Callable[[float, str], object] | None = None,
) -> ScanResult:
    return fence.run(scan_upload_bytes, list(uploads), applications, what=WHAT, on_progress=on_progress)


def fenced_pasted(text: str, subject: str, sender: str, applications: list[dict]) -> ScanResult:
    return fence.run(scan_pasted, text, subject, sender, applications, what=WHAT)


_REFUSED = {
    "memory": "needs more memory than Rebound allows for reading one mail",
    "cpu": "takes more computing time than Rebound allows for reading one mail",
    "result": "gives more than Rebound takes in from one mail",
    "crash": "stopped the reader unexpectedly",
}


def fenced_messages(
    messages: Sequence[tuple[str, bytes]],
    applications: list[dict],
    *,
    reader: Reader = read_eml_file,
    **ceilings: Any,
) -> ScanResult:
    """A batch of raw messages read in ONE fenced worker (a 10,000-message check starts one worker per
    batch of bodies, not one per message). When the worker is refused (a ceiling: memory, CPU time,
    result size; or it crashed), the batch is read again in halves until the message that broke it is
    alone: that one becomes a named problem, and every other message is still read. `reader` (a
    module-level function) reads one message's bytes; `ceilings` go to fence.run (memory, cpu_seconds,
    max_result)."""
    if not messages:
        return ScanResult()
    try:
        result: ScanResult = fence.run(scan_messages, list(messages), applications, reader, what=WHAT, **ceilings)
        return result
    except fence.FenceError as error:
        if len(messages) == 1:
            why = _REFUSED.get(error.reason, "could not be read")
            return ScanResult(problems=[Problem(messages[0][0], f"{why}; skipped, the others were read.")])
    half = len(messages) // 2
    found = fenced_messages(messages[:half], applications, reader=reader, **ceilings)
    return merge(found, fenced_messages(messages[half:], applications, reader=reader, **ceilings))
