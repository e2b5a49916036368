"""What a message says about the job search: rejection, interview, assessment, offer, received, or
nothing. The phrases live in rebound/content/mail_rules.toml (English, German, French, Spanish);
this module only applies them, sentence by sentence, and keeps the sentence that decided.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rebound import content
from rebound.vocab import MEETING_EVENTS

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

KINDS = ("rejection", "interview", "assessment", "offer", "received")
RULES_FILE = "mail_rules.toml"
MAX_QUOTE = 300
_GAP = r"(?:\S+\s+){0,6}?"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "\u00a0": " "})
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
# Japanese (and Chinese) is written without spaces: a phrase in it starts anywhere, not at a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form of text, spacing collapsed."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("ß", "ss").split())


def _pattern(phrases: Iterable[str], whole_words: bool = False) -> re.Pattern[str] | None:
    """One regex for a phrase list (folded text has single spaces); phrases start at a word."""
    parts = []
    for phrase in phrases:
        words = [re.escape(fold(w)) for w in phrase.split("…")]
        text = (r"\s+" + _GAP).join(w for w in words if w)
        if not text:
            continue
        cjk = _CJK.match(fold(phrase))
        ends_cjk = _CJK.match(fold(phrase)[-1:])
        end = r"(?!\w)" if whole_words and not ends_cjk else ""
        parts.append((text if cjk else r"(?<!\w)" + text) + end)
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("(?:" + "|".join(parts) + ")")


def _all_languages(section: dict) -> list[str]:
    return [p for value in section.values() if isinstance(value, list) for p in value]


@dataclass(frozen=True)
class Rules:
    order: tuple[str, ...]
    # Each pattern is None when its phrase list is empty.
    kinds: dict[str, re.Pattern[str] | None]  # kind -> compiled phrases
    conditional: re.Pattern[str] | None
    ignore_subject: re.Pattern[str] | None
    ignore_sender: tuple[str, ...]
    ignore_body: re.Pattern[str] | None
    stages: tuple[tuple[str, re.Pattern[str]], ...]  # (stage, pattern) from most to least advanced
    reason: re.Pattern[str] | None
    reason_exclude: re.Pattern[str] | None
    reason_before: re.Pattern[str] | None = None  # "for that reason …": the reason is the sentence before
    reason_generic: re.Pattern[str] | None = None  # "candidates whose experience more closely matches"
    closed: re.Pattern[str] | None = None  # a position closed, filled or frozen: the decision is the reason
    job: re.Pattern[str] | None = None  # words of a job search (role, candidate, interview …)
    not_job: re.Pattern[str] | None = None  # words of orders, flights, flats, grants, courses, discounts …
    job_senders: tuple[str, ...] = ()  # applicant-tracking systems: their mail is about a job
    sign_offs: frozenset[str] = frozenset()  # "Best regards," alone on a line: the signature follows
    disclaimer: re.Pattern[str] | None = None  # a confidentiality notice: a paragraph that decides nothing
    contrast: re.Pattern[str] | None = None  # "…, but we need X": the reason is what follows the contrast


def load_rules(text: str | None = None) -> Rules:
    data = content.parse(text, "mail rules") if text is not None else content.load(RULES_FILE)
    order = tuple(k for k in data["order"] if k in KINDS)
    stage = data.get("stage", {})
    return Rules(
        order=order,
        kinds={k: _pattern(_all_languages(data.get(k, {}))) for k in order},
        conditional=_pattern(_all_languages(data.get("conditional", {})), whole_words=True),
        ignore_subject=_pattern(data["ignore"].get("subject", [])),
        ignore_sender=tuple(fold(s) for s in data["ignore"].get("sender", [])),
        ignore_body=_pattern(data["ignore"].get("body", [])),
        stages=tuple((s, p) for s in REJECTED_AT if stage.get(s) and (p := _pattern(stage[s])) is not None),
        reason=_pattern(data["reason"]["markers"], whole_words=True),
        reason_before=_pattern(data["reason"].get("before", [])),
        reason_generic=_pattern(data["reason"].get("generic", [])),
        reason_exclude=_pattern(data["reason"].get("exclude", [])),
        closed=_pattern(data.get("rejection", {}).get("closed", [])),
        job=_pattern(_all_languages(data.get("context", {}).get("job", {})), whole_words=True),
        not_job=_pattern(_all_languages(data.get("context", {}).get("not_job", {})), whole_words=True),
        job_senders=tuple(fold(s) for s in data.get("context", {}).get("senders", [])),
        sign_offs=frozenset(_bare(s) for s in _all_languages(data.get("signature", {}).get("sign_off", {}))),
        disclaimer=_pattern(_all_languages(data.get("signature", {}).get("disclaimer", {}))),
        contrast=_pattern(data["reason"].get("contrast", []), whole_words=True),
    )


def _bare(line: str) -> str:
    """A line as a sign-off is compared: folded, without the punctuation around it ("Best regards," → …)."""
    return fold(line).strip(" ,.!:;-–—~")


@lru_cache(maxsize=1)
def rules() -> Rules:
    return load_rules()


@dataclass(frozen=True)
class Verdict:
    kind: str | None  # one of KINDS, or None: not about an application
    sentence: str = ""  # the sentence that decided it, as written
    reason: str | None = None  # for a rejection: the employer's stated reason, as written
    stage: str | None = None  # the stage the message speaks of (screen / interview / final)
    why_not: str = ""  # for None: why it was left out (an ignore rule, or no phrase)


_REPLY_SUBJECT = re.compile(r"^\s*(?:re|aw|antw|r[ée]p|rv|sv|r)\s*:", re.IGNORECASE)  # "R:": Italian Outlook


def sentences(subject: str, body: str) -> list[str]:
    """The subject (unless it is a reply's, inherited from the mail answered) and the body's sentences."""
    return [text for text, _ in _sentences(subject, body)]


def _sentences(subject: str, body: str, r: Rules | None = None) -> list[tuple[str, int]]:
    """(sentence, paragraph number) of the subject (paragraph -1) and the body's own text: not its
    signature (what follows a sign-off such as "Best regards," or "Sent from my iPhone") nor a
    confidentiality notice. A list item ("- less depth in …") or a field ("Status: Not selected") is a
    sentence of its own, even without a full stop."""
    r = r or rules()
    keep = subject and subject.strip() and not _REPLY_SUBJECT.match(subject)
    out = [(subject.strip(), -1)] if keep else []
    for number, paragraph in enumerate(_PARAGRAPH.split(_without_signature(body or "", r))):
        if r.disclaimer and r.disclaimer.search(fold(paragraph)):
            continue
        for text in _items(paragraph):
            for piece in _SENTENCE_END.split(text):
                if len(piece) > 1:
                    out.append((piece, number))
    return out


_ITEM = re.compile(r"^\s*(?:[-*•·–—▪◦●]|\d{1,2}[.)]|[a-z][.)])\s+\S")
_BULLET = re.compile(r"^\s*[-*•·–—▪◦●]\s+")  # a bullet goes; a number stays ("2. …" may be the point)
_FIELD = re.compile(r"^\s*[^\W\d][\w /.-]{0,30}:\s+\S", re.UNICODE)


def _items(paragraph: str) -> list[str]:
    """The texts of a paragraph: its lines joined (plain mail wraps at 76 columns, mid-sentence), except
    that a list item or a "Field: value" line starts a text of its own."""
    texts: list[list[str]] = []
    for line in paragraph.splitlines():
        if not line.strip():
            continue
        item = _ITEM.match(line)
        if item or _FIELD.match(line) or not texts:
            texts.append([])
        texts[-1].append(_BULLET.sub("", line).strip() if item else line.strip())
    return [" ".join(" ".join(t).split()) for t in texts]


def _without_signature(body: str, r: Rules) -> str:
    """The body up to its sign-off line ("Best,", "Mit freundlichen Grüßen", "Sent from my iPhone"):
    what follows is a name, a title, an address and a disclaimer, none of which is the message. A
    sign-off on the first line is a greeting, not an end."""
    if not r.sign_offs:
        return body
    lines = body.splitlines()
    seen_text = False
    for i, line in enumerate(lines):
        bare = _bare(line)
        if seen_text and bare and len(bare) <= 50 and _signs_off(bare, r.sign_offs):
            return "\n".join(lines[:i])
        seen_text = seen_text or bool(bare)
    return body


def _signs_off(bare: str, sign_offs: frozenset[str]) -> bool:
    """A sign-off alone, or with up to three words after it ("Cheers, Tom"; "Herzliche Grüße aus Salzburg")."""
    words = bare.replace(",", " ").split()
    return any(" ".join(words[:n]) in sign_offs for n in range(max(1, len(words) - 3), len(words) + 1))


def about_a_job(folded: Iterable[str], folded_sender: str, r: Rules) -> bool:
    """A message is about the job search only when it speaks of a role, a candidacy, an interview …
    more than of an order, a flight, a flat, a grant, a course or a discount (distinct words of each):
    "we regret" about a booking is nothing. Mail from an applicant-tracking system counts two job words."""
    text = "\n".join(folded)
    job = {m.group(0) for m in r.job.finditer(text)} if r.job else set()
    other = {m.group(0) for m in r.not_job.finditer(text)} if r.not_job else set()
    if r.job is None:  # rules without a [context]: every phrase decides
        return True
    score = len(job) + (2 if any(s in folded_sender for s in r.job_senders) else 0)
    return score > len(other) or not other  # nothing else named: the phrase alone decides


def _quote(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_QUOTE else sentence[: MAX_QUOTE - 1].rstrip() + "…"


# A quotation of a whole sentence (six words or more) in quotation marks: a newsletter quoting
# "Unfortunately, we have decided to move forward with other candidates" is not that decision.
# A short status in quotes ("Not selected") still decides.
_QUOTATION = re.compile(r'["“”„«»]\s*(?:[^"“”„«»\s]+\s+){5,}[^"“”„«»]*["“”„«»]')


_QUOTE_MARKS = str.maketrans({q: " " for q in '"“”„«»'})  # the same length: spans stay where they were


def _decides(pattern: re.Pattern[str], conditional: re.Pattern[str] | None, folded: str) -> bool:
    """A phrase of the kind in this sentence with no conditional word before it, and not quoted."""
    quoted: list[tuple[int, int]] = []
    if any(q in folded for q in '"“”„«»'):
        quoted = [m.span() for m in _QUOTATION.finditer(folded)]
        folded = folded.translate(_QUOTE_MARKS)  # a short status in quotes reads as words: 'is now "not selected"'
    for hit in pattern.finditer(folded):
        if any(start <= hit.start() < end for start, end in quoted):
            continue
        before = folded[: hit.start()]
        if conditional is None or not conditional.search(before):
            return True
    return False


REJECTED_AT = MEETING_EVENTS[::-1]  # a rejection: the furthest stage it mentions (final, interview, screen)
# An invitation: the most specific stage it mentions. A preference order, not a vocabulary.
INVITED_TO = ("final", "screen", "interview")


def stage_of(folded_texts: list[str], r: Rules, order: Sequence[str] = REJECTED_AT) -> str | None:
    patterns = dict(r.stages)
    for stage in order:
        if stage in patterns and any(patterns[stage].search(t) for t in folded_texts):
            return stage
    return None


def classify(subject: str, body: str, sender: str = "", r: Rules | None = None) -> Verdict:
    r = r or rules()
    folded_subject = fold(subject or "")
    if r.ignore_subject and r.ignore_subject.search(folded_subject):
        return Verdict(None, why_not="subject looks like a job alert, newsletter or event")
    folded_sender = fold(sender or "")
    if any(s in folded_sender for s in r.ignore_sender):
        return Verdict(None, why_not="sender sends alerts or newsletters")
    pieces = _sentences(subject, body, r)
    parts = [text for text, _ in pieces]
    folded = [fold(s) for s in parts]
    # a reply's subject decides nothing, but it still says what the thread is about ("Re: Take-home
    # for the Analytics Engineer role"): it counts for whether the message is about a job
    context = folded if not _REPLY_SUBJECT.match(subject or "") else [folded_subject, *folded]
    if r.ignore_body and any(r.ignore_body.search(f) for f in folded):
        return Verdict(None, why_not="a job alert, a 'viewed' notice or an event notice")
    for kind in r.order:
        pattern = r.kinds.get(kind)
        if pattern is None:
            continue
        # the body decides before the subject: its sentence is the one worth quoting
        for i in sorted(range(len(folded)), key=lambda i: pieces[i][1] < 0):
            f = folded[i]
            if _decides(pattern, r.conditional, f):
                if not about_a_job(context, folded_sender, r):
                    return Verdict(None, why_not="not about a job application (an order, a booking, a course …)")
                sentence = _quote(parts[i])
                if kind == "rejection":
                    reason = _reason(pieces, folded, i, r)
                    return Verdict(kind, sentence, reason, stage_of(folded, r))
                if kind == "interview":
                    return Verdict(kind, sentence, None, stage_of(folded, r, INVITED_TO) or "interview")
                return Verdict(kind, sentence)
    return Verdict(None, why_not="no job-search phrase")


REASON_AFTER = 3  # the stated reason is looked for in at most this many sentences after the decision


def _reason(pieces: list[tuple[str, int]], folded: list[str], decided: int, r: Rules) -> str | None:
    """The employer's stated reason, as written: the deciding sentence when it gives one ("…, as the role
    requires Go"; a position closed or filled), else the sentence after it that does: the next one in the
    same paragraph unless it is a courtesy ("we wish you luck"), or a later one with a reason word.
    The decision itself ("we went with other candidates whose experience more closely matches") is no reason."""

    def tail(i: int) -> str:  # "the panel liked your API design, but we need X": what follows the contrast
        found = list(r.contrast.finditer(folded[i])) if r.contrast else []
        return folded[i][found[-1].end() :] if found and len(folded[i][found[-1].end() :].split()) >= 4 else folded[i]

    def excluded(i: int) -> bool:  # a courtesy, or a comparison with the other candidates
        return bool(r.reason_exclude and r.reason_exclude.search(tail(i))) or bool(
            r.reason_generic and r.reason_generic.search(tail(i))
        )

    def marked(i: int) -> bool:
        return bool(r.reason and r.reason.search(tail(i))) and not excluded(i)

    def explained(i: int) -> bool:  # "we decided not to go ahead: we need someone on site in Lyon"
        _, colon, tail = folded[i].partition(" : ") if " : " in folded[i] else folded[i].partition(": ")
        return bool(colon) and len(tail.split()) >= 5 and not excluded(i)

    decides_again = r.kinds.get("rejection")

    paragraph = pieces[decided][1]
    if paragraph < 0:  # decided by the subject alone: a body sentence with a reason word, if any
        return next((_quote(pieces[i][0]) for i in range(decided + 1, len(pieces)) if marked(i)), None)
    if (r.closed and r.closed.search(folded[decided])) or marked(decided) or explained(decided):
        return _quote(pieces[decided][0])
    before = decided - 1
    if r.reason_before and r.reason_before.search(folded[decided]) and before >= 0 and pieces[before][1] >= 0:
        return _quote(pieces[before][0])
    for i in range(decided + 1, min(len(pieces), decided + 1 + REASON_AFTER)):
        if r.closed and r.closed.search(folded[i]):
            return _quote(pieces[i][0])
        if marked(i):
            return _quote(pieces[i][0])
        next_in_paragraph = i == decided + 1 and pieces[i][1] == paragraph
        said_again = decides_again is not None and decides_again.search(folded[i])  # the decision, once more
        if next_in_paragraph and not excluded(i) and not said_again and _is_prose(pieces[i][0]):
            return _quote(pieces[i][0])
    return None


def _is_prose(sentence: str) -> bool:
    """A sentence, not a signature or a greeting: a few words ending like a sentence."""
    return len(sentence.split()) >= 5 and sentence.rstrip()[-1:] in ".!。"
