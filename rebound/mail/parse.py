"""Mail the user has, as plain records: .mbox files streamed message by message, .eml files and
folders of them, and text pasted into the app.

Memory stays bounded whatever the file: an mbox is read line by line (lines capped too), and of
each message only the first MAX_MESSAGE_BYTES are kept — the text parts come first in real mail,
so an attachment (even 50 MB) is dropped as it streams past and never stored. Bodies become
plain text (HTML through inscriptis), quoted replies are cut, and a forwarded message is read as
the message it forwards.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header, make_header
from email.headerregistry import AddressHeader, BaseHeader, HeaderRegistry
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from functools import cache
from pathlib import Path
from typing import BinaryIO, cast

from rebound.errors import MailReadError

MAX_MESSAGE_BYTES = 2 * 1024 * 1024  # kept of one message; the rest (attachments) streams past
MAX_LINE = 64 * 1024  # one readline; a binary file without newlines stays bounded
MAX_PART_BYTES = 512 * 1024  # decoded text of one part
MAX_BODY_CHARS = 20_000  # what classification reads of a body
MAIL_SUFFIXES = (".eml", ".mbox", ".mbx")
# Read of one header before anything decodes it: Python's header parser grows with the square of a
# header folded into many RFC 2047 encoded-words (30,000 of them in 450 KB took gigabytes).
MAX_HEADER_CHARS = 4_000  # a subject or a sender is a line, not a book
MAX_ENCODED_WORDS = 64  # "=?charset?q?…?=" words decoded per header; a long real subject has a dozen
_LAST_ADDRESS = re.compile(r"<[^<>\s]{1,320}>\s*$")
_ENCODED_WORD = re.compile(r"=\?[^?\s]{1,75}\?[bBqQ]\?[^?\s]*\?=")

# Structure with compat32 (fast, never raises on odd MIME); the few headers a finding needs are then
# decoded with policy.default (RFC 2047, addresses), which costs ~1 ms per header if used for every part.
_PARSER = BytesParser(policy=policy.compat32)


@dataclass
class Mail:
    message_id: str
    date: dt.datetime | None
    sender_name: str
    sender_addr: str
    subject: str
    body: str
    source: str = ""
    forwarded: bool = False
    notes: list[str] = field(default_factory=list)  # what could not be read exactly (charset, cut off)

    @property
    def sender(self) -> str:
        if self.sender_name and self.sender_addr:
            return f"{self.sender_name} <{self.sender_addr}>"
        return self.sender_name or self.sender_addr

    @property
    def day(self) -> dt.date | None:
        return self.date.date() if self.date else None


@dataclass
class Problem:
    source: str
    message: str


# -- text decoding ----------------------------------------------------------------------------
def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Text and, when the declared charset was unknown or wrong, a note saying how it was read."""
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            text, used = _guess(data)
            return text, f"unknown charset {charset[:40]!r}, read as {used}"
        try:
            return data.decode(charset), None
        except UnicodeDecodeError:
            return data.decode(charset, errors="replace"), None
    return _guess(data)[0], None


def _guess(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def html_to_text(html: str) -> str:
    """Visible text of an HTML body (scripts and styles dropped, tables and lists kept readable)."""
    if not html.strip():
        return ""
    from inscriptis import get_text  # loads lxml: only when a mail has HTML

    try:
        return get_text(html)
    except Exception:  # markup lxml cannot take at all: fall back to dropping the tags
        return re.sub(r"<[^>]+>", " ", html)


# -- headers ----------------------------------------------------------------------------------
@cache
def _header_class(name: str) -> type[BaseHeader]:
    # policy.default builds a new class on every lookup of its registry: ~0.1 ms a header.
    # typeshed types header_factory as a plain callable; policy.default's is a HeaderRegistry.
    return cast("HeaderRegistry", policy.default.header_factory)[name]


def _raw(msg: Message, name: str, notes: list[str] | None = None) -> str | None:
    """One header's raw text, unfolded, cut to MAX_HEADER_CHARS and MAX_ENCODED_WORDS before
    anything decodes it (with a note when cut); None if absent."""
    raw = msg.get(name)
    if raw is None:
        return None
    whole = str(raw)
    text, cut = whole, False
    if len(text) > MAX_HEADER_CHARS:
        text, cut = text[:MAX_HEADER_CHARS], True
    words = list(itertools.islice(_ENCODED_WORD.finditer(text), MAX_ENCODED_WORDS + 1))
    if len(words) > MAX_ENCODED_WORDS:
        text, cut = text[: words[MAX_ENCODED_WORDS - 1].end()], True
    if cut and (address := _LAST_ADDRESS.search(whole[-400:])):  # a long name cut: its address stays
        text += " " + address.group(0).strip()
    if cut and notes is not None and (note := f"its {name} header is too long: only its start was read") not in notes:
        notes.append(note)
    return "".join(text.splitlines())


def _decoded(msg: Message, name: str, notes: list[str] | None = None) -> BaseHeader | None:
    """policy.default's parse of one header (RFC 2047 words, addresses), or None if absent."""
    raw = _raw(msg, name, notes)
    if raw is None:
        return None
    return _header_class(name)(name, raw)


def _words(text: str) -> str:
    """RFC 2047 words decoded (a malformed one stays as it is), on one line."""
    try:
        text = str(make_header(decode_header(text)))
    except Exception:
        pass
    return " ".join(text.split())


def _header(msg: Message, name: str, notes: list[str] | None = None) -> str:
    """A header decoded (RFC 2047); a malformed one falls back to its raw text, never raises."""
    try:
        value = _decoded(msg, name, notes)
        return "" if value is None else " ".join(str(value).split())
    except Exception:
        pass
    return _words(_raw(msg, name) or "")


def _sender(msg: Message, notes: list[str] | None = None) -> tuple[str, str]:
    try:
        value = _decoded(msg, "from", notes)
        addresses = value.addresses if isinstance(value, AddressHeader) else ()
        if addresses:
            return addresses[0].display_name or "", (addresses[0].addr_spec or "").lower()
    except Exception:
        pass
    # The address is read from the raw header, where an encoded word is one opaque atom, and only
    # then is the name decoded: a name that decodes to a line break and "<someone@else>" stays a name.
    pairs = getaddresses([_raw(msg, "from") or ""])
    return (_words(pairs[0][0]), pairs[0][1].lower()) if pairs else ("", "")


def _date(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return value


def message_key(message_id: str, *headers: str) -> str:
    """The Message-ID, or (without one) a hash of the headers that identify the message."""
    mid = (message_id or "").strip()
    if mid:
        return mid[:500]
    digest = hashlib.sha256("\x1f".join(h or "" for h in headers).encode("utf-8", "replace")).hexdigest()
    return f"<sha256-{digest[:32]}@rebound>"


# -- bodies -----------------------------------------------------------------------------------
def _part_text(part: Message, notes: list[str]) -> str:
    try:
        payload = part.get_payload(decode=True) or b""
    except Exception:
        payload = b""
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "replace")
    elif not isinstance(payload, bytes):  # decode=True gives bytes for a part that is not multipart
        payload = b""
    payload = payload[:MAX_PART_BYTES]
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text, note = decode_bytes(payload, charset)
    if note and note not in notes:
        notes.append(note)
    return text


def _body(msg: Message, notes: list[str]) -> str:
    plain, html = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        try:
            if part.get_content_disposition() == "attachment" or part.get_filename():
                continue  # attachments are skipped, never stored
            ctype = part.get_content_type()
        except Exception:
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part, notes))
        elif ctype == "text/html":
            html.append(_part_text(part, notes))
    text = "\n\n".join(t for t in plain if t.strip())
    if len(text.strip()) < 40 and html:  # an HTML mail's plain part is often a stub ("view in browser")
        text = "\n\n".join(html_to_text(h) for h in html)
    return text


# -- quoted replies and forwards --------------------------------------------------------------
_FORWARD = re.compile(
    r"^[ \t>]*(?:-{2,}\s*(?:Forwarded message|Weitergeleitete Nachricht|Message transf[ée]r[ée]|"
    r"Mensaje reenviado|Mensagem encaminhada|Doorgestuurd bericht|Messaggio inoltrato|転送されたメッセージ|"
    r"転送メッセージ)\s*-{2,}|Begin forwarded message:|Anfang der weitergeleiteten Nachricht:|"
    r"D[ée]but du message r[ée]exp[ée]di[ée]\s*:|Inicio del mensaje reenviado:|Begin doorgestuurd bericht:|"
    r"Inizio messaggio inoltrato:|転送されたメッセージ:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ORIGINAL = re.compile(
    r"^[ \t]*-{2,}\s*(?:Original Message|Urspr[üu]ngliche Nachricht|Message d'origine|Mensaje original|"
    r"Oorspronkelijk bericht|Origineel bericht|Messaggio originale|元のメッセージ)\s*-{2,}[ \t]*$"
    r"|^[ \t]*(?:From|Von|De|Van|Da|差出人)\s*:[^\n]+\n[ \t]*(?:Sent|Gesendet|Envoy[ée]|Enviado(?: el)?|Date|"
    r"Verzonden|Inviato|送信日時)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_ATTRIBUTION = re.compile(
    r"^[ \t]*(?:On|Am|Le|El|Op|Il)\s[^\n]{0,300}(?:\n[^\n]{0,300})?\s(?:wrote|schrieb|a [ée]crit|escribi[óo]|"
    r"schreef|ha scritto)\s*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ORIGINAL_WORDS = (
    "original",
    "ursprüngliche",
    "ursprungliche",
    "d'origine",
    "sent:",
    "gesendet:",
    "envoy",
    "enviado",
    "date:",
    "oorspronkelijk",
    "origineel",
    "verzonden:",
    "originale",
    "inviato:",
    "元のメッセージ",
    "送信日時",
)
_ATTRIBUTION_WORDS = ("wrote", "schrieb", "écrit", "ecrit", "escribió", "escribio", "schreef", "ha scritto")
_FWD_HEADER = re.compile(
    r"^[ \t]*(From|Von|De|Date|Datum|Sent|Gesendet|Envoy[ée]|Fecha|Subject|Betreff|Objet|Asunto|"
    r"To|An|[ÀA]|Para|Cc|Van|Verzonden|Onderwerp|Aan|Da|Data|Inviato|Oggetto|差出人|送信日時|日付|件名|宛先)\s*[:：]\s*(.*)$",
    re.IGNORECASE,
)
_FWD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|doorst|i)\s*:", re.IGNORECASE)
_FIELD = {
    "from": "from",
    "von": "from",
    "de": "from",
    "subject": "subject",
    "betreff": "subject",
    "objet": "subject",
    "asunto": "subject",
    "date": "date",
    "datum": "date",
    "sent": "date",
    "gesendet": "date",
    "envoyé": "date",
    "envoye": "date",
    "fecha": "date",
    "van": "from",
    "da": "from",
    "差出人": "from",
    "onderwerp": "subject",
    "oggetto": "subject",
    "件名": "subject",
    "verzonden": "date",
    "inviato": "date",
    "data": "date",
    "送信日時": "date",
    "日付": "date",
}


def strip_quoted(text: str) -> str:
    """The new text of a reply: everything from the first quote marker on goes, and '>' lines."""
    cut = len(text)
    lower = text.lower()
    for pattern, words in ((_ORIGINAL, _ORIGINAL_WORDS), (_ATTRIBUTION, _ATTRIBUTION_WORDS)):
        if not any(w in lower for w in words):  # the patterns are costly; most mail has no quote
            continue
        found = pattern.search(text)
        if found:
            cut = min(cut, found.start())
    lines = [line for line in text[:cut].splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _forwarded(text: str) -> tuple[dict[str, str], str] | None:
    """({from, subject, date}, body) of the message a forward carries, or None."""
    found = _FORWARD.search(text)
    if not found:
        return None
    lines = text[found.end() :].lstrip("\n").splitlines()
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and i < 12:
        line = lines[i].lstrip("> \t")
        match = _FWD_HEADER.match(line)
        if match:
            name = _FIELD.get(match.group(1).lower())
            if name:
                fields.setdefault(name, match.group(2).strip())
        elif line.strip() or fields:
            break
        i += 1
    body = "\n".join(line[1:] if line.startswith(">") else line for line in lines[i:])
    return fields, body


def clean_body(subject: str, text: str) -> tuple[str, dict[str, str] | None]:
    """(text to classify, headers of a forwarded message or None)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    inner = _forwarded(text)
    if inner is not None:
        found = _FORWARD.search(text)
        assert found is not None  # _forwarded found this marker
        before = text[: found.start()]
        # A forward: what it carries is the mail that matters (the user's note on top is short).
        if _FWD_SUBJECT.match(subject or "") or len(strip_quoted(before)) < 400:
            fields, body = inner
            return strip_quoted(body)[:MAX_BODY_CHARS], fields
    return strip_quoted(text)[:MAX_BODY_CHARS], None


def _from_forward(mail: Mail, fields: Mapping[str, str]) -> None:
    if fields.get("from"):
        pairs = getaddresses([fields["from"]])
        if pairs and (pairs[0][0] or pairs[0][1]):
            mail.sender_name, mail.sender_addr = pairs[0][0], pairs[0][1].lower()
    if fields.get("subject"):
        mail.subject = fields["subject"]
    if fields.get("date"):
        mail.date = _date(fields["date"]) or mail.date
    mail.forwarded = True


# -- one message ------------------------------------------------------------------------------
def parse_bytes(raw: bytes, source: str = "") -> Mail:
    """One RFC 5322 message; never raises for bad headers or charsets (they become notes)."""
    msg = _PARSER.parsebytes(raw)
    notes: list[str] = []
    subject = _header(msg, "subject", notes)
    name, addr = _sender(msg, notes)
    date_text = _header(msg, "date")
    key = message_key(_header(msg, "message-id"), _header(msg, "from"), _header(msg, "to"), date_text, subject)
    try:
        body = _body(msg, notes)
    except Exception as error:  # a structure the parser could not make sense of: headers still count
        body = ""
        notes.append(f"body unreadable ({type(error).__name__})")
    text, fields = clean_body(subject, body)
    mail = Mail(key, _date(date_text), name, addr, subject, text, source, notes=notes)
    if fields:
        _from_forward(mail, fields)
    return mail


def looks_like_mail(raw: bytes) -> bool:
    head = raw[:4096]
    if b"\x00" in head:
        return False
    return re.match(rb"\s*[!-9;-~]{1,76}:", head) is not None


_PASTED_HEADER = re.compile(
    r"^(From|Von|De|Subject|Betreff|Objet|Asunto|Date|Datum|Fecha|To|An|Para|Cc)\s*:\s*(.*)$", re.IGNORECASE
)


def parse_pasted(text: str, subject: str = "", sender: str = "", today: dt.date | None = None) -> Mail:
    """An email pasted as text: optional header lines (From:, Subject:, Date:) then the body."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text and not subject.strip():
        raise MailReadError("Paste the email's text (and its subject if you have it).")
    lines = text.split("\n")
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines):
        match = _PASTED_HEADER.match(lines[i])
        if not match:
            break
        fields.setdefault(_FIELD.get(match.group(1).lower(), match.group(1).lower()), match.group(2).strip())
        i += 1
    body = "\n".join(lines[i:]) if fields else text
    subject = subject.strip() or fields.get("subject", "")
    sender = sender.strip() or fields.get("from", "")
    pairs = getaddresses([sender]) if sender else []
    name, addr = (pairs[0][0], pairs[0][1].lower()) if pairs else ("", "")
    if addr and "@" not in addr:  # a bare company name, not an address
        name, addr = sender, ""
    date = _date(fields.get("date", ""))
    if date is None:
        day = today or dt.date.today()
        date = dt.datetime(day.year, day.month, day.day)
    cleaned, fwd = clean_body(subject, body)
    digest = hashlib.sha256("\x1f".join((sender, subject, body.strip())).encode("utf-8", "replace")).hexdigest()
    mail = Mail(f"<pasted-{digest[:32]}@rebound>", date, name, addr, subject, cleaned, "pasted text")
    if fwd:
        _from_forward(mail, fwd)
    return mail


# -- files ------------------------------------------------------------------------------------
def _is_from_line(line: bytes) -> bool:
    return line.startswith(b"From ")


_TEXTUAL = re.compile(rb"content-type:\s*(?:text|multipart|message)/", re.IGNORECASE)
_ANY_TYPE = re.compile(rb"content-type:", re.IGNORECASE)
_ATTACHED = re.compile(rb"content-disposition:\s*attachment", re.IGNORECASE)


class _MessageBuffer:
    """The lines of one message as they stream past, without the bodies of attached files.

    After a MIME boundary line come the part's headers; a part that is not text (or is marked
    as an attachment) keeps its headers and loses its body, so a 50 MB attachment never sits
    in memory. Whatever is kept is capped at MAX_MESSAGE_BYTES.
    """

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.size = 0
        self._part_headers: list[bytes] | None = None
        self._skipping = False

    def add(self, line: bytes) -> None:
        if line.startswith(b"--"):
            self._skipping = False
            self._part_headers = []
        elif self._part_headers is not None:
            if line.strip() == b"":
                head = b"".join(self._part_headers)
                self._skipping = bool(_ATTACHED.search(head)) or (
                    bool(_ANY_TYPE.search(head)) and not _TEXTUAL.search(head)
                )
                self._part_headers = None
            elif line[:1] in (b" ", b"\t") or b":" in line:
                self._part_headers.append(line)
            else:  # not a part's headers after all (a "-- " signature line, say)
                self._part_headers = None
        elif self._skipping:
            return
        if self.size < MAX_MESSAGE_BYTES:
            self.lines.append(line)
            self.size += len(line)

    @property
    def skipping(self) -> bool:
        return self._skipping

    def raw(self) -> bytes:
        return b"".join(self.lines)


_SKIP_CHUNK = 256 * 1024
_PART_END = re.compile(rb"\n(?:--|\r?\n|From )")


def _skip_attachment(fh: BinaryIO) -> bool:
    """Move past an attached file's body without reading it line by line: to the next line that
    starts a boundary ('--'), is blank, or is a From_ line. True if the file ended first."""
    while True:
        pos = fh.tell()
        chunk = fh.read(_SKIP_CHUNK)
        if not chunk:
            return True
        found = _PART_END.search(b"\n" + chunk)  # each chunk starts at the start of a line
        if found:
            fh.seek(pos + found.start())
            return False
        if len(chunk) < _SKIP_CHUNK:
            return True
        last = chunk.rfind(b"\n")  # go on from the last whole line: a match may straddle two chunks
        fh.seek(pos + last + 1 if last >= 0 else pos + len(chunk))


def iter_mbox(fh: BinaryIO, name: str, on_progress: Callable[[int], None] | None = None) -> Iterator[Mail | Problem]:
    """Messages of an open mbox file, one at a time; problems are yielded, never raised."""
    head = fh.read(4096)
    fh.seek(0)
    if b"\x00" in head:
        yield Problem(name, "is not a mailbox: it looks like a binary file. Nothing was read from it.")
        return
    first = head.lstrip(b"\r\n")
    if not _is_from_line(first):
        if looks_like_mail(first):  # a single message saved with the wrong suffix
            yield from read_eml_file(fh, name)
            return
        yield Problem(name, "is not an mbox file: it does not start with a 'From ' line. Nothing was read from it.")
        return
    count = 0
    buf = _MessageBuffer()
    started, prev_blank = False, True
    last_line = b""

    def finish() -> list[Mail | Problem]:
        nonlocal count
        count += 1
        label = f"{name}, message {count}"
        try:
            mail = parse_bytes(buf.raw(), label)
        except Exception as error:  # noqa: BLE001 — one bad message must not stop the scan
            return [Problem(label, f"could not be read ({type(error).__name__}); skipped.")]
        out: list[Mail | Problem] = [Problem(label, n) for n in mail.notes]
        out.append(mail)
        return out

    while True:
        if buf.skipping and _skip_attachment(fh):
            last_line = b""  # the file ended inside an attachment: cut off
            break
        line = fh.readline(MAX_LINE)
        if not line:
            break
        last_line = line
        if _is_from_line(line) and (prev_blank or not started):
            if started:
                yield from finish()
                if on_progress:
                    on_progress(fh.tell())
            buf, started, prev_blank = _MessageBuffer(), True, False
            continue
        if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            line = line[1:]  # mboxrd/mboxo escaping
        buf.add(line)
        prev_blank = line in (b"\n", b"\r\n")
    if started:
        cut_off = not last_line.endswith(b"\n")
        results = finish()
        if cut_off:
            results.insert(
                0,
                Problem(
                    f"{name}, message {count}", "looks cut off (the file may be truncated); what was there was read."
                ),
            )
        yield from results
    if on_progress:
        on_progress(fh.tell())


def read_eml_file(fh: BinaryIO, name: str) -> Iterator[Mail | Problem]:
    if not looks_like_mail(fh.read(4096)):
        yield Problem(name, "is not an email (no mail headers at its start). Nothing was read from it.")
        return
    fh.seek(0)
    buf = _MessageBuffer()
    while not (buf.skipping and _skip_attachment(fh)):  # attachment bodies are never read into memory
        line = fh.readline(MAX_LINE)
        if not line:
            break
        buf.add(line)
    try:
        mail = parse_bytes(buf.raw(), name)
    except Exception as error:  # noqa: BLE001
        yield Problem(name, f"could not be read ({type(error).__name__}).")
        return
    yield from (Problem(name, n) for n in mail.notes)
    yield mail


def mail_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """The files to read: each path as given, each folder's .eml/.mbox files (recursively)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in MAIL_SUFFIXES)
            if not found:
                problems.append(Problem(str(path), "has no .eml or .mbox files."))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "does not exist."))
    return files, problems


def read_file(path: Path, on_progress: Callable[[int], None] | None = None) -> Iterator[Mail | Problem]:
    """Mail in one file: an mbox when it starts with a 'From ' line (or is named .mbox), else one message."""
    name = path.name
    try:
        fh = open(path, "rb")  # noqa: SIM115 (the `with fh` below closes it; an open error is a Problem, not a crash)
    except OSError as error:
        yield Problem(name, f"could not be opened ({error.strerror or error}).")
        return
    with fh:
        head = fh.read(4096)
        fh.seek(0)
        if path.suffix.lower() in (".mbox", ".mbx") or _is_from_line(head.lstrip(b"\r\n")):
            yield from iter_mbox(fh, name, on_progress)
        else:
            yield from read_eml_file(fh, name)
            if on_progress:
                on_progress(os.fstat(fh.fileno()).st_size)


def read_upload(name: str, fh: BinaryIO, on_progress: Callable[[int], None] | None = None) -> Iterator[Mail | Problem]:
    """An uploaded file (Streamlit's UploadedFile is a binary file object)."""
    head = fh.read(4096)
    fh.seek(0)
    if name.lower().endswith((".mbox", ".mbx")) or _is_from_line(head.lstrip(b"\r\n")):
        yield from iter_mbox(fh, name, on_progress)
    else:
        yield from read_eml_file(fh, name)
