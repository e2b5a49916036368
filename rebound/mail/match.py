"""Which company and role a mail is about, and which of the user's applications it belongs to.

Candidates for the company come from the sender's display name ("Acme Hiring Team"), the sender's
domain (careers.acme.co.uk), the subject and body ("Thank you for applying to Acme"), and every
application's own company name found in the text ("株式会社メルカリ"). Names compare without case,
accents, punctuation or legal suffixes; rapidfuzz scores near misses. The word lists and patterns
live in rebound/content/mail_companies.toml.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from rebound import content
from rebound.mail.classify import fold
from rebound.vocab import OPEN_STATUSES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

COMPANIES_FILE = "mail_companies.toml"
SURE, LIKELY = 0.9, 0.75  # confidence labels: sure ≥ 0.9, likely ≥ 0.75, else a guess
MATCH_AT = 0.7  # below this no application is matched
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass(frozen=True)
class Lexicon:
    suffixes: frozenset[str]
    cjk_suffixes: tuple[str, ...]
    sender_words: frozenset[str]
    services: frozenset[str]
    free_mail: frozenset[str]
    domain_noise: frozenset[str]
    noise_local: frozenset[str]
    company_patterns: tuple[re.Pattern[str], ...]
    role_patterns: tuple[re.Pattern[str], ...]
    placeholders: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()
    generic_words: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    d = content.load(COMPANIES_FILE)
    return Lexicon(
        suffixes=frozenset(fold(s) for s in d["suffixes"]),
        cjk_suffixes=tuple(d["cjk_suffixes"]),
        sender_words=frozenset(fold(s) for s in d["sender_words"]),
        services=frozenset(s.lower() for s in d["services"]),
        free_mail=frozenset(s.lower() for s in d["free_mail"]),
        domain_noise=frozenset(s.lower() for s in d["domain_noise"]),
        noise_local=frozenset(s.lower() for s in d["noise_local"]),
        company_patterns=tuple(re.compile(p) for p in d["company_patterns"]),
        role_patterns=tuple(re.compile(p) for p in d["role_patterns"]),
        placeholders=frozenset(fold(s) for s in d.get("placeholders", [])),
        connectors=frozenset(s.casefold() for s in d.get("connectors", [])),  # "アンド" unfolded
        generic_words=frozenset(fold(s) for s in d.get("generic_words", [])),
    )


def plain(text: str) -> str:
    """Folded text with punctuation as spaces: what names and texts are compared on."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join("".join(ch if ch.isalnum() else " " for ch in fold(text)).split())


@lru_cache(maxsize=8192)  # the same application names are keyed for every message of a scan
def company_key(name: str) -> str:
    """'Acme, Inc.' → 'acme'; '株式会社メルカリ' → 'メルカリ'; 'The Walt Disney Company' → 'walt disney'."""
    lex = lexicon()
    text = unicodedata.normalize("NFKC", name or "")
    for suffix in lex.cjk_suffixes:
        text = text.replace(unicodedata.normalize("NFKC", suffix), " ")
    for connector in (c for c in lex.connectors if _CJK.search(c)):  # "リーフアンドスターズ" ~ "リーフ&スターズ"
        text = text.replace(connector, " ")
    words = plain(text).split()
    # inner joining words go: "leaf & stars" ~ "leaf and stars"
    words = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and w in lex.connectors)]
    words = _join_initials(words)  # "S.A." → "sa", "K.K." → "kk"
    # legal suffixes go from the end ("acme gmbh co kg"), "the" from the start
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[-n:]) in lex.suffixes:
                words, changed = words[:-n], True
                break
        if len(words) > 1 and words[0] == "the":
            words, changed = words[1:], True
    return " ".join(words)


def _join_initials(words: list[str]) -> list[str]:
    """Runs of single letters become one word: 's a' → 'sa', 'k k' → 'kk'."""
    out: list[str] = []
    run = ""
    for w in words + [""]:
        if len(w) == 1 and w.isascii() and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        if w:
            out.append(w)
    return out


def _squash(key: str) -> str:
    return key.replace(" ", "")


NEAR = 88  # rapidfuzz ratio from which two names are the same company misspelt


def similarity(a: str, b: str, cutoff: float = 0) -> float:
    """0..1 between two company keys; spacing does not count ('deutsche bahn' ~ 'deutschebahn')."""
    if not a or not b:
        return 0.0
    a, b = _squash(a), _squash(b)
    if a == b:
        return 1.0
    return fuzz.ratio(a, b, score_cutoff=cutoff) / 100


# -- candidates from the mail -------------------------------------------------------------------
def from_display_name(name: str) -> tuple[str, bool]:
    """(company named by a sender's display name, whether a department word was removed)."""
    lex = lexicon()
    name = (name or "").strip().strip('"')
    for sep in (" via ", " on behalf of ", " im auftrag von ", " de la part de "):
        low = name.lower()
        if sep.strip() == "via" and sep in low:
            name = name[: low.index(sep)]
        elif sep in low:
            name = name[low.index(sep) + len(sep) :]
    m = re.match(r"(?i)^.{1,40}?\s+(?:from|at|bei|de|chez)\s+(.+)$", name)
    if m:
        name = m.group(1)
    words = re.split(r"[\s|·•\-–—,:]+", name)
    kept = [w for w in words if w and fold(w) not in lex.sender_words]
    text = " ".join(kept).strip(" .")
    if plain(text) in lex.services or any(plain(w) in lex.services for w in kept[:1]) and len(kept) == 1:
        return "", False
    return text, len(kept) < len([w for w in words if w])


def personal_address(addr: str) -> bool:
    """An address at a personal mail provider (gmail.com, outlook.fr, yahoo.co.jp …)."""
    labels = [label for label in (addr or "").lower().rpartition("@")[2].split(".") if label]
    return any(label in lexicon().free_mail for label in labels[:-1])


def placeholder(name: str) -> bool:
    """'Example', 'Example Store', 'Test': a name that stands for no company."""
    words = plain(name).split()
    return bool(words) and (words[0] in lexicon().placeholders or " ".join(words) in lexicon().placeholders)


def from_domain(addr: str) -> str:
    """The company a sender's address names: its domain's main label, or the local part at an ATS."""
    lex = lexicon()
    if "@" not in (addr or ""):
        return ""
    local, domain = addr.lower().rsplit("@", 1)
    labels = [label for label in domain.split(".") if label]
    if personal_address(addr) or any(label in lex.placeholders for label in labels):
        return ""  # a person's own address, or a placeholder (example.com, *.test)
    at_service = any(label in lex.services or label.replace("-", "") in lex.services for label in labels)
    if at_service:
        # acme@myworkday.com, acme.wd5.myworkdayjobs.com: the company is the first label or the local part
        first = labels[0] if labels else ""
        if first and first not in lex.services and first not in lex.domain_noise and len(labels) > 2:
            return first
        if local and local not in lex.noise_local and not re.search(r"\d{3,}", local):
            return local.replace(".", " ").replace("-", " ")
        return ""
    # the last label is the top-level domain, whatever it is (.com, .software, .careers)
    meaningful = [label for label in (labels[:-1] if len(labels) > 1 else labels) if label not in lex.domain_noise]
    return meaningful[-1].replace("-", " ") if meaningful else ""


def from_text(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    for pattern in patterns:
        m = pattern.search(text or "")
        if m:
            value = m.group(m.lastgroup or 1) if m.lastgroup else m.group(1)
            value = re.sub(r"\s*\((?:R|REQ|JR|ID)?[-\s#]?\d[\w-]*\)\s*$", "", value.strip(" \"'“”„«»"), flags=re.I)
            if value and len(value) <= 80:
                return value.strip()
    return ""


def role_in(subject: str, body: str) -> str:
    lex = lexicon()
    return from_text(subject, lex.role_patterns) or from_text(body[:4000], lex.role_patterns)


def company_guess(sender_name: str, sender_addr: str, subject: str, body: str) -> str:
    """The best single name for the company, for a mail that matches no application: never a placeholder
    ("Example"), never a mail provider, never the person writing from a personal address."""
    guess = _company_guess(sender_name, sender_addr, subject, body)
    return "" if placeholder(guess) else guess


def _company_guess(sender_name: str, sender_addr: str, subject: str, body: str) -> str:
    lex = lexicon()
    if personal_address(sender_addr):  # "Jane Doe" <jane@gmail.com>: the text may name the company
        return from_text(subject, lex.company_patterns) or from_text(body[:4000], lex.company_patterns)
    display, had_dept_word = from_display_name(sender_name)
    domain = from_domain(sender_addr)
    in_subject = from_text(subject, lex.company_patterns)
    if in_subject:
        return in_subject
    at_service = bool(sender_addr) and not domain
    display_key, domain_key = _squash(company_key(display)), _squash(company_key(domain))
    if display and (
        had_dept_word
        or at_service
        or not domain
        or similarity(display_key, domain_key) >= 0.8
        or display_key.startswith(domain_key)
    ):  # "Nimbus Labs" <jobs@nimbus.io>
        return display
    if domain:
        return domain.title() if domain.islower() else domain
    return from_text(body[:4000], lex.company_patterns) or display


# -- matching -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    application_id: int | None
    company: str
    role: str
    confidence: float  # 0..1; 0 when nothing matched

    @property
    def label(self) -> str:
        if self.application_id is None:
            return "no application matched"
        return "sure" if self.confidence >= SURE else "likely" if self.confidence >= LIKELY else "a guess"


@lru_cache(maxsize=8192)
def _word_pattern(key: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(key) + r"(?!\w)")


def _mentions(text_plain: str, key: str) -> bool:
    if not key:
        return False
    if _CJK.search(key):  # no spaces between words in CJK text: a plain substring
        return len(key) >= 2 and _squash(key) in text_plain.replace(" ", "")
    if len(key) < 3 or key not in text_plain:  # the substring test first: most names are absent
        return False
    return _word_pattern(key).search(text_plain) is not None


def _capitalised_in(original: str, key: str) -> bool:
    """A company named in running text is capitalised: 'a box of' does not name Box.
    Where the key is not found as written (accents folded away), the folded match stands."""
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in key.split()) + r"(?!\w)"
    found = [m.group(0) for m in re.finditer(pattern, original, re.IGNORECASE)]
    return not found or any(not w[0].islower() for w in found)


SHORT_NAME = 0.85  # "Tidewater" for "Tidewater Systems Inc.": the mail names the company by its first words


def short_name(app_key: str, candidate: str) -> bool:
    """The candidate is the application's name without its last words ('tidewater' ~ 'tidewater systems'),
    its distinctive last word ('bernasconi' ~ 'fratelli bernasconi'), or holds two of its words in a row
    ('iberiasurtelecom' ~ 'telecomunicaciones iberia sur')."""
    if len(candidate) >= 4 and app_key.startswith(candidate + " "):
        return True
    if candidate in _distinctive_words(app_key) and app_key.endswith(" " + candidate):
        return True
    words, squashed = app_key.split(), _squash(candidate)
    return any(len(run) >= 6 and run in squashed for run in ("".join(words[i : i + 2]) for i in range(len(words) - 1)))


SHORT_MENTION = 0.75  # "Saltmarsh have come back" for Saltmarsh Capital Partners: a distinctive word of the name


@lru_cache(maxsize=8192)
def _distinctive_words(app_key: str) -> tuple[str, ...]:
    """The first and last words of a name of two words or more that could name it alone: long enough and
    not a word many companies share ('Capital', 'Health', 'Systems')."""
    words = app_key.split()
    if len(words) < 2 or _CJK.search(app_key):
        return ()
    generic = lexicon().generic_words
    return tuple(dict.fromkeys(w for w in (words[0], words[-1]) if len(w) >= 5 and w not in generic))


def _role_key(role: str) -> str:
    """A role as compared with the mail: without what is in brackets ('Backend-Entwickler (m/w/d)',
    'Data Analyst (REQ-123)'), unless that is all there is."""
    return plain(re.sub(r"\([^()]*\)", " ", role)) or plain(role)


def _names_role(role: str, *texts_plain: str) -> bool:
    """A role of two words or more ('growth marketer') named in the text: specific enough to match on."""
    key = plain(role)
    return len(key.split()) >= 2 and any(_mentions(t, key) for t in texts_plain)


def match(
    mail_sender_name: str,
    mail_sender_addr: str,
    subject: str,
    body: str,
    applications: Iterable[Mapping[str, Any]],
    day: dt.date | None = None,
) -> Match:
    """The application a mail is about. `applications`: dicts with id, company, role, status, applied_on.
    `day`, the mail's date: of two equal applications (applied twice), the one applied before it, latest first."""
    lex = lexicon()
    display, had_dept_word = from_display_name(mail_sender_name)
    domain = from_domain(mail_sender_addr)
    named = [from_text(subject, lex.company_patterns), from_text(body[:4000], lex.company_patterns)]
    keys = [(company_key(display), 0.95 if had_dept_word else 0.9), (company_key(domain), 0.9)]
    keys += [(company_key(n), 0.9) for n in named if n]
    keys = [(k, w) for k, w in keys if k]
    subject_plain, body_plain = plain(subject), plain(body[:20_000])
    role = role_in(subject, body)
    role_plain = plain(role)

    best: Mapping[str, Any] | None = None
    best_rank: tuple[float, bool, bool, bool, str, Any] | None = None  # the application's id breaks ties
    for app in applications:
        key = company_key(str(app["company"]))
        if not key:
            continue
        score = 0.0
        for candidate, weight in keys:
            s = similarity(key, candidate, NEAR) or (SHORT_NAME if short_name(key, candidate) else 0.0)
            if s:
                score = max(score, weight * s)
        if _mentions(subject_plain, key) and _capitalised_in(subject, key):
            score = max(score, 0.9)
        elif _mentions(body_plain, key) and _capitalised_in(body[:20_000], key):
            score = max(score, 0.8)
        elif score < SHORT_MENTION and any(
            (_mentions(subject_plain, w) and _capitalised_in(subject, w))
            or (_mentions(body_plain, w) and _capitalised_in(body[:20_000], w))
            for w in _distinctive_words(key)
        ):
            score = SHORT_MENTION
        if score < MATCH_AT:
            continue
        app_role = _role_key(str(app.get("role") or ""))
        role_hit = bool(app_role) and (
            (role_plain and fuzz.token_set_ratio(app_role, role_plain) >= 85)
            or _mentions(subject_plain, app_role)
            or _mentions(body_plain, app_role)
        )
        if role_hit:
            score = min(1.0, score + 0.05)
        is_open = app.get("status") in OPEN_STATUSES
        applied = str(app.get("applied_on") or "")
        before_mail = day is None or not applied or applied[:10] <= day.isoformat()
        rank = (round(score, 3), role_hit, before_mail, is_open, applied, app["id"])
        if best_rank is None or rank > best_rank:
            best, best_rank = app, rank
    if (best is None or best_rank is None) and personal_address(mail_sender_addr):
        # a founder or hiring manager writing from a personal address: the one role the mail names
        named_roles = [a for a in applications if _names_role(str(a.get("role") or ""), subject_plain, body_plain)]
        if len(named_roles) == 1 or len({plain(str(a["company"])) for a in named_roles}) == 1:
            best = max(named_roles, key=lambda a: (str(a.get("applied_on") or ""), a["id"]))
            return Match(int(best["id"]), str(best["company"]), str(best.get("role") or ""), MATCH_AT)
    if best is None or best_rank is None:
        return Match(None, company_guess(mail_sender_name, mail_sender_addr, subject, body), role, 0.0)
    return Match(int(best["id"]), str(best["company"]), role or str(best.get("role") or ""), best_rank[0])
