"""Unit tests of rebound.feedback: the question bank, composition, encodings and nudges."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebound import feedback as fb
from rebound.errors import ValidationError

TODAY = dt.date(2026, 11, 25)
NASTY_NAME = 'Zoë "Z" O\'Brien & 王小明 🚀'
NASTY_COMPANY = "Müller & Söhne {GmbH} <b>"
NASTY_QUESTION = 'Was my "SQL & Python" answer deep enough?\nEspecially the {joins} part 🙂'


# -- the bank ---------------------------------------------------------------------
def test_bank_covers_every_stage_and_area_with_several_phrasings():
    bank = fb.load_bank()
    assert list(bank.stages) == ["application", "screen", "interview", "technical", "behavioural", "take-home", "final"]
    assert list(bank.areas) == [
        "technical depth",
        "communication",
        "experience fit",
        "culture and values",
        "seniority",
        "salary expectations",
        "preparation",
    ]
    for stage in bank.stages:
        for area in bank.areas:
            phrasings = bank.questions.get((stage, area), ())
            assert len(phrasings) >= 2, (stage, area)
            for q in phrasings:
                assert q.endswith("?"), q
                assert 20 < len(q) <= fb.MAX_QUESTION
                assert "reject" not in q.lower(), q


def test_every_tone_composes_and_has_the_promised_parts():
    for tone in fb.load_bank().tones:
        draft = fb.compose(
            tone, ["First question?", "Second question?"], "Acme", "Analyst", "technical", "Priya", "p@acme.com", "Alex"
        )
        assert "Priya" in draft.body and "Alex" in draft.body
        assert "1. First question?\n2. Second question?" in draft.body
        assert "Analyst" in draft.subject
        assert "thank" in draft.body.lower()
        assert "understand" in draft.body.lower() or "no worries" in draft.body.lower()  # no pressure
    assert fb.compose("formal", ["Q?"], "Acme", "Analyst", "final").body.startswith("Dear Hiring Team,")
    assert fb.compose("brief", ["Q?"], "Acme", "Analyst", "final").body.startswith("Hi there,")


def test_questions_for_groups_by_area_in_bank_order():
    qs = fb.questions_for("technical", ["preparation", "technical depth", "not an area"])
    assert [q.area for q in qs][:1] == ["technical depth"]
    assert {q.area for q in qs} == {"technical depth", "preparation"}
    assert all(q.stage == "technical" for q in qs)
    assert len({q.id for q in qs}) == len(qs)
    assert fb.questions_for("screen", []) == []
    with pytest.raises(ValidationError, match="Unknown stage"):
        fb.questions_for("lunch", ["preparation"])


def test_default_questions_take_the_first_phrasing_per_area_up_to_four():
    qs = fb.questions_for("final", list(fb.load_bank().areas))
    chosen = fb.default_questions(qs)
    assert len(chosen) == 4
    assert [q.index for q in chosen] == [0, 0, 0, 0]
    assert len({q.area for q in chosen}) == 4


def test_reflection_themes_map_to_areas():
    assert fb.areas_from_themes(["Storytelling", "salary", "culture fit", "seniority", "nerves", "mine"]) == [
        "communication",
        "culture and values",
        "seniority",
        "salary expectations",
        "preparation",
    ]
    assert fb.areas_from_themes(["technical depth"]) == ["technical depth"]
    assert fb.areas_from_themes([]) == []
    assert fb.areas_from_themes(None) == []


def test_stage_for_event():
    assert fb.stage_for_event("applied") == "application"
    assert fb.stage_for_event("screen") == "screen"
    assert fb.stage_for_event("interview") == "interview"
    assert fb.stage_for_event("final") == "final"
    assert fb.stage_for_event("offer") == "final"
    assert fb.stage_for_event(None) == "application"


@pytest.mark.parametrize(
    "event_stage, not_said",
    [
        ("interview", ["technical", "take-home", "call"]),  # which kind of interview is not recorded
        ("applied", ["interview", "call", "assignment"]),  # nobody spoke to them yet
        (None, ["interview", "call", "assignment"]),
    ],
)
def test_the_default_stage_never_claims_an_interview_that_did_not_happen(event_stage, not_said):
    stage = fb.stage_for_event(event_stage)
    for tone in fb.load_bank().tones:
        body = fb.compose(tone, ["Q?"], "Acme", "Analyst", stage).body.lower()
        assert not any(word in body for word in not_said), (tone, body)
    for q in fb.questions_for(stage, list(fb.load_bank().areas)):
        assert not any(word in q.text.lower() for word in not_said), q


def test_days_ago_reads_naturally():
    assert [fb.days_ago(d) for d in (0, 1, 2, 14)] == ["today", "yesterday", "2 days ago", "14 days ago"]


def test_suggest_themes_from_feedback_text():
    text = "Your SQL was solid, but your answers lacked structure and we needed someone more senior."
    assert fb.suggest_themes(text) == ["technical depth", "communication", "seniority"]
    assert fb.suggest_themes("") == []


# -- validation -------------------------------------------------------------------
def test_empty_question_set_gives_a_clear_message():
    for empty in ([], ["", "   ", "\n"], None):
        with pytest.raises(ValidationError, match="no questions"):
            fb.clean_questions(empty)
    with pytest.raises(ValidationError, match="no questions"):
        fb.compose("warm", [], "Acme", "Analyst", "screen")


def test_questions_are_cleaned_and_capped():
    assert fb.clean_questions(["  A?  ", "A?", "", "B?"]) == ["A?", "B?"]
    with pytest.raises(ValidationError, match="at most"):
        fb.clean_questions(["A?", "B?", "C?", "D?", "E?"])
    with pytest.raises(ValidationError, match="under"):
        fb.clean_questions(["x" * (fb.MAX_QUESTION + 1)])


@pytest.mark.parametrize(
    "bad", ["not an email", "a@b", "a@b.com, c@d.com", "a@b.com\r\nBcc: x@y.com", "<a@b.com>", "a@@b.com", "a b@c.com"]
)
def test_bad_email_addresses_are_refused(bad):
    with pytest.raises(ValidationError, match="email address"):
        fb.clean_email(bad)


def test_good_email_addresses_pass():
    for good in ["a@b.co", "first.last+jobs@example.co.uk", "jürgen@bücher.de", ""]:
        assert fb.clean_email(good) == good


def test_validate_action():
    assert fb.validate_action("resume", "  Update\nbullets ", None) == {
        "kind": "resume",
        "title": "Update bullets",
        "due_on": None,
    }
    with pytest.raises(ValidationError, match="Describe"):
        fb.validate_action("resume", "  ")
    with pytest.raises(ValidationError, match="Unknown kind"):
        fb.validate_action("nap", "x")
    with pytest.raises(ValidationError, match="under"):
        fb.validate_action("other", "x" * 301)


# -- composition with hostile text -------------------------------------------------
def test_special_characters_survive_composition():
    draft = fb.compose(
        "warm",
        [NASTY_QUESTION],
        NASTY_COMPANY,
        "Data\nAnalyst",
        "technical",
        NASTY_NAME,
        "zoe@example.com",
        "Ana-María Núñez 🌱",
    )
    assert draft.body.startswith(f"Hi {NASTY_NAME},")
    assert NASTY_COMPANY in draft.body  # braces not treated as a template
    assert "Data Analyst" in draft.body and "\n" not in draft.subject
    assert '1. Was my "SQL & Python" answer deep enough?\n   Especially the {joins} part 🙂' in draft.body
    assert draft.body.rstrip().endswith("Ana-María Núñez 🌱")
    assert fb.txt_text(draft).startswith(f"To: {NASTY_NAME} <zoe@example.com>\nSubject: ")


def test_header_injection_is_flattened():
    draft = fb.compose(
        "brief", ["Q?"], "Acme\r\nBcc: evil@x.com", "Analyst", "screen", "Eve\r\nBcc: evil@x.com", "eve@example.com"
    )
    raw = fb.eml_bytes(draft)
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg["Bcc"] is None
    assert "\n" not in draft.subject and "\n" not in draft.to_name


# -- mailto -----------------------------------------------------------------------------
def test_mailto_is_rfc6068_encoded():
    draft = fb.compose(
        "warm",
        [NASTY_QUESTION, "Second & last? #1 = 100%"],
        NASTY_COMPANY,
        "Analyst",
        "technical",
        NASTY_NAME,
        "zoe+jobs@example.com",
    )
    url = fb.mailto_url(draft.to_email, draft.subject, draft.body)
    assert url.startswith("mailto:zoe%2Bjobs@example.com?subject=")
    assert " " not in url and "+" not in url.split("?", 1)[1]  # spaces are %20, never +
    assert "%20" in url
    assert "%0D%0A" in url and "%0A%0A" not in url and "\n" not in url
    query = url.split("?", 1)[1]
    assert query.count("&") == 1 and query.count("=") == 2  # user '&', '=' and '#' are encoded
    assert "#" not in url
    assert "%F0%9F%99%82" in url  # 🙂 as UTF-8 bytes
    parts = dict(p.split("=", 1) for p in query.split("&"))
    assert unquote(parts["body"]) == fb.crlf(draft.body)
    assert unquote(parts["subject"]) == draft.subject
    assert unquote(urlsplit(url).path) == "zoe+jobs@example.com"


def test_mailto_without_address_or_parts():
    assert fb.mailto_url("", "Hi there", "") == "mailto:?subject=Hi%20there"
    assert fb.mailto_url("", "", "") == "mailto:"
    with pytest.raises(ValidationError):
        fb.mailto_url("a@b.com?cc=x@y.com", "s", "b")


@settings(max_examples=150, deadline=None)
@given(
    name=st.text(max_size=40),
    company=st.text(min_size=1, max_size=40),
    question=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
)
def test_any_text_round_trips_through_mailto(name, company, question):
    draft = fb.compose("formal", [question], company, "Role", "final", name, "", "Me")
    url = fb.mailto_url("", draft.subject, draft.body)
    assert all(ord(c) < 128 for c in url) and " " not in url
    body = parse_qs(urlsplit(url).query, keep_blank_values=True)["body"][0]
    assert body == fb.crlf(draft.body)


# -- .eml and .txt -------------------------------------------------------------------------
def test_eml_round_trips_non_latin_names_and_text():
    draft = fb.compose(
        "warm",
        [NASTY_QUESTION],
        NASTY_COMPANY,
        "Analyst",
        "technical",
        NASTY_NAME,
        "zoe@example.com",
        "Ана Петрова",
        "ana@example.com",
    )
    raw = fb.eml_bytes(draft, dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC))
    assert raw.isascii()  # headers RFC 2047-encoded, body quoted-printable
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    msg = email.message_from_bytes(raw, policy=policy.default)
    to = msg["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == (NASTY_NAME, "zoe@example.com")
    assert msg["From"].addresses[0].display_name == "Ана Петрова"
    assert msg["Subject"] == draft.subject
    assert msg["X-Unsent"] == "1"
    assert msg.get_content_charset() == "utf-8"
    assert msg.get_content().replace("\r\n", "\n") == draft.body


def test_eml_with_internationalized_address():
    draft = fb.Draft("Grüße", "Hallo\n", "Jürgen", "jürgen@bücher.de")
    raw = fb.eml_bytes(draft)  # RFC 6532: a non-ASCII local part means UTF-8 headers
    msg = email.message_from_string(raw.decode("utf-8"), policy=policy.default)
    assert msg["To"].addresses[0].display_name == "Jürgen"
    assert "jürgen" in str(msg["To"])
    draft = fb.Draft("Hi", "Hello\n", "J", "j@bücher.de")
    msg = email.message_from_bytes(fb.eml_bytes(draft), policy=policy.default)
    assert msg["To"].addresses[0].domain == "xn--bcher-kva.de"


def test_eml_without_recipient_is_still_a_draft():
    msg = email.message_from_bytes(fb.eml_bytes(fb.Draft("S", "B\n")), policy=policy.default)
    assert msg["To"] is None and msg["Subject"] == "S"


def test_file_stem_is_ascii():
    assert fb.file_stem("Müller & Söhne", "Data Analyst") == "feedback-request-muller-sohne-data-analyst"
    assert fb.file_stem("王小明", "") == "feedback-request"


# -- nudges -------------------------------------------------------------------------------
def test_send_nudge_within_a_few_days_of_a_rejection_after_an_interview():
    rows = [
        (1, "Acme", "Analyst", "interview", TODAY - dt.timedelta(days=2), None, False),
        (2, "Beta", "Analyst", "screen", TODAY - dt.timedelta(days=1), None, False),  # not after interview
        (3, "Gamma", "Analyst", "final", TODAY - dt.timedelta(days=9), None, False),  # too late
        (4, "Delta", "Analyst", "final", TODAY, 44, False),  # drafted, unsent
        (5, "Eps", "Analyst", "offer", TODAY, None, True),
    ]  # already sent
    nudges = fb.feedback_nudges_for(rows, [], TODAY)
    assert [(n.kind, n.application_id) for n in nudges] == [("send_draft", 4), ("send", 1)]
    assert "2 days ago" in nudges[1].message and "a few days" in nudges[1].message
    assert nudges[0].request_id == 44 and "drafted" in nudges[0].message


def test_no_answer_nudge_after_ten_days_is_gentle():
    rows = [
        (7, 1, "Acme", "Analyst", TODAY - dt.timedelta(days=10)),
        (8, 2, "Beta", "Analyst", TODAY - dt.timedelta(days=9)),
        (9, 3, "Gamma", "Analyst", TODAY - dt.timedelta(days=31)),
    ]
    nudges = fb.feedback_nudges_for([], rows, TODAY)
    assert [n.request_id for n in nudges] == [7]
    assert "Many employers never answer" in nudges[0].message and "not about you" in nudges[0].message


def test_status_of():
    d = TODAY
    assert fb.status_of(None, None, None) == "drafted"
    assert fb.status_of(d, None, None) == "sent"
    assert fb.status_of(d, None, d) == "no answer"
    assert fb.status_of(d, d, d) == "answered"


def test_suggested_actions_come_from_content():
    ideas = fb.suggested_actions(["communication", "technical depth"])
    assert [i.area for i in ideas][:2] == ["technical depth", "technical depth"]
    assert all(i.kind in fb.action_kinds() for i in ideas)
    for area in fb.load_bank().areas:
        assert fb.suggested_actions([area]), area


@pytest.mark.parametrize("company", ["Acme, Inc.", "Yahoo!", "Who?"])
def test_a_company_ending_a_sentence_gets_no_second_full_stop(company):
    for tone in fb.load_bank().tones:
        draft = fb.compose(tone, ["Q?"], company, "Analyst Sr.", "final", "Priya", "", "Alex")
        for doubled in ("..", "!.", "?."):
            assert doubled not in draft.body and doubled not in draft.subject, (tone, draft.body)
    formal = fb.compose("formal", ["Q?"], "Acme, Inc.", "Analyst", "final").body
    assert "position at Acme, Inc. I respect" in formal
    assert "at Acme. I respect" in fb.compose("formal", ["Q?"], "Acme", "Analyst", "final").body
