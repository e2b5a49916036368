"""A scan: read every message of some files (or pasted text), keep the ones about the job search
as findings matched to applications. Reads only; the store records findings as proposals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from rebound import fence
from rebound.mail import classify as cl
from rebound.mail.match import match
from rebound.mail.parse import Mail, Problem, mail_files, parse_pasted, read_file, read_upload

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
    )


def scan_items(
    items: Iterable[Mail | Problem], applications: list[dict], result: ScanResult | None = None
) -> ScanResult:
    result = result or ScanResult()
    seen = {f.message_key for f in result.findings}
    for item in items:
        if isinstance(item, Problem):
            result.problems.append(item)
            continue
        result.messages += 1
        found = finding_for(item, applications)
        if isinstance(found, cl.Verdict):
            result.skipped[found.why_not] = result.skipped.get(found.why_not, 0) + 1
        elif found.message_key not in seen:
            seen.add(found.message_key)
            result.findings.append(found)
    return result


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
