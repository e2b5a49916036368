"""Matching a mail to an application: names without case, accents, punctuation or legal suffixes."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.mail.match import (
    LIKELY,
    SURE,
    company_guess,
    company_key,
    from_display_name,
    from_domain,
    match,
    similarity,
)


def app(id_, company, role="Data Analyst", status="applied", applied_on="2026-11-01"):
    return {"id": id_, "company": company, "role": role, "status": status, "applied_on": applied_on}


@pytest.mark.parametrize(
    "a, b",
    [
        ("Acme, Inc.", "ACME Inc"),
        ("Acme", "acme corp."),
        ("Société Générale S.A.", "societe generale"),
        ("Müller GmbH & Co. KG", "MULLER"),
        ("株式会社メルカリ", "メルカリ"),
        ("The Walt Disney Company", "Walt Disney"),
        ("Deutsche Bahn AG", "deutschebahn"),
    ],
)
def test_same_company(a, b):
    assert similarity(company_key(a), company_key(b)) == 1.0


def test_different_companies_stay_apart():
    assert similarity(company_key("Acme"), company_key("Acme Bank")) < 0.88
    assert similarity(company_key("Meta"), company_key("Beta")) < 0.88


def test_display_names_lose_department_words_and_ats_names():
    assert from_display_name("Mercari Recruiting") == ("Mercari", True)
    assert from_display_name("Acme Hiring Team")[0] == "Acme"
    assert from_display_name("Initech via SmartRecruiters")[0] == "Initech"
    assert from_display_name("Jane from Hooli")[0] == "Hooli"
    assert from_display_name("LinkedIn")[0] == ""
    assert from_display_name("Karriere | Bergwerk AG")[0] == "Bergwerk AG"


def test_domains_name_the_company_unless_a_service_or_personal_mail_sent_it():
    assert from_domain("jobs@careers.acme.co.uk") == "acme"
    assert from_domain("globex@myworkday.com") == "globex"
    assert from_domain("no-reply@us.greenhouse-mail.io") == ""
    assert from_domain("no-reply@hire.lever.co") == ""
    assert from_domain("alex.kim@gmail.com") == ""


def test_acme_inc_matches_ACME_INC_for_sure():
    m = match("ACME Inc", "no-reply@greenhouse.io", "Your application to ACME Inc", "", [app(1, "Acme, Inc.")])
    assert (m.application_id, m.company) == (1, "Acme, Inc.") and m.confidence >= SURE and m.label == "sure"


def test_mercari_recruiting_and_a_body_naming_kabushiki_kaisha_mercari():
    body = "この度は株式会社メルカリへのご応募ありがとうございます。"
    m = match(
        "Mercari Recruiting",
        "recruit@mercari.com",
        "ご応募ありがとうございます",
        body,
        [app(7, "株式会社メルカリ"), app(8, "Acme")],
    )
    assert m.application_id == 7 and m.confidence >= LIKELY
    m2 = match("Mercari Recruiting", "recruit@mercari.com", "Thanks", body, [app(9, "Mercari, Inc.")])
    assert m2.application_id == 9 and m2.confidence >= SURE


def test_the_named_role_picks_among_applications_to_one_company():
    apps = [
        app(1, "Acme", "Data Analyst", applied_on="2026-11-10"),
        app(2, "Acme", "Backend Engineer", applied_on="2026-11-01"),
    ]
    m = match(
        "Acme Careers",
        "jobs@acme.com",
        "Your application",
        "Thank you for applying for the Backend Engineer role.",
        apps,
    )
    assert (m.application_id, m.role) == (2, "Backend Engineer")


def test_without_a_role_the_newest_open_application_wins():
    apps = [
        app(1, "Acme", "Analyst", status="rejected", applied_on="2026-11-20"),
        app(2, "Acme", "Engineer", applied_on="2026-10-01"),
        app(3, "Acme", "Designer", applied_on="2026-11-02"),
    ]
    assert match("Acme", "jobs@acme.com", "Update", "Hello", apps).application_id == 3


def test_company_named_only_in_the_text():
    m = match(
        "LinkedIn", "jobs-noreply@linkedin.com", "Your update from Umbrella Corp", "", [app(5, "Umbrella Corporation")]
    )
    assert m.application_id == 5


def test_no_match_gives_a_company_to_create_the_application_with():
    m = match(
        "LinkedIn", "jobs-noreply@linkedin.com", "Sam, your application was sent to Nimbus Labs", "", [app(1, "Acme")]
    )
    assert (m.application_id, m.company, m.confidence, m.label) == (None, "Nimbus Labs", 0.0, "no application matched")
    assert company_guess("Jane Park", "jane.park@hooli.com", "Following up", "") == "Hooli"
    assert company_guess("Orbit Hiring Team", "no-reply@ashbyhq.com", "Update", "") == "Orbit"
    assert company_guess("Nimbus Labs", "jobs@nimbus.io", "Next steps", "") == "Nimbus Labs"


def test_a_mention_in_the_body_alone_is_likely_not_sure():
    m = match("Sam", "sam@gmail.com", "hello", "Thanks for your time at Apple yesterday.", [app(1, "Apple")])
    assert m.application_id == 1 and LIKELY <= m.confidence < SURE and m.label == "likely"
    assert (
        match("Sam", "sam@gmail.com", "hi", "A box of pineapples.", [app(1, "Box")]).application_id is None
    )  # 3+ letters, whole words


# -- issue 26: no company from a placeholder or a personal address; short names; two applications ----
def test_a_company_is_never_guessed_from_a_placeholder_or_a_mail_provider():
    # the discount mail of issue 26: "Example" came from deals@example.com
    assert company_guess("Example Store", "deals@example.com", "Your exclusive offer", "20% off today.") == ""
    assert from_domain("deals@example.com") == "" and from_domain("hr@shop.test") == ""
    # a person writing from a personal address is not a company; the text may still name one
    assert company_guess("Jane Doe", "jane.doe@gmail.com", "Quick call?", "Are you free on Friday?") == ""
    assert company_guess("Jane Doe", "jane@outlook.fr", "Your application to Lumen Oak", "Hi Sam") == "Lumen Oak"
    assert company_guess("Ken", "ken@yahoo.co.jp", "Hi", "") == ""


def test_a_short_or_reordered_name_matches_the_tracked_name():
    apps = [app(1, "Tidewater Systems Inc."), app(2, "Telecomunicaciones Iberia Sur S.A."), app(3, "Acme Bank")]
    short = match("Tidewater Talent Team", "talent@tidewater.io", "Solutions Engineer - Tidewater", "", apps)
    assert short.application_id == 1
    run = match("Javier Molina", "javier.molina@iberiasurtelecom.es", "Oferta de empleo", "Hola Sam:", apps)
    assert run.application_id == 2
    # a short name is "likely", never "sure"; an application with exactly that name wins over it
    assert match("Acme", "jobs@acme.com", "Your application", "", apps).label == "likely"
    assert match("Acme", "jobs@acme.com", "Your application", "", [*apps, app(4, "Acme")]).application_id == 4


def test_and_ampersand_and_japanese_ando_are_one_name():
    assert company_key("Leaf & Stars") == company_key("Leaf and Stars")
    assert company_key("株式会社リーフアンドスターズ") == company_key("リーフ&スターズ")
    found = match(
        "佐藤",
        "k.sato@careerbridge.jp",
        "選考結果",
        "株式会社リーフ&スターズ様の選考結果です。",
        [app(9, "株式会社リーフアンドスターズ")],
    )
    assert found.application_id == 9


def test_the_mail_date_picks_between_two_applications_to_the_same_role():
    first, again = (
        app(5, "Brightwater Labs", applied_on="2026-02-10"),
        app(6, "Brightwater Labs", applied_on="2026-07-01"),
    )
    args = ("Brightwater Labs", "no-reply@us.greenhouse-mail.io", "Your application", "", [first, again])
    assert match(*args, day=dt.date(2026, 3, 1)).application_id == 5
    assert match(*args, day=dt.date(2026, 8, 1)).application_id == 6
    assert match(*args).application_id == 6  # no date: the latest


def test_a_founder_writing_from_a_personal_address_matches_the_one_role_named():
    apps = [app(1, "Fieldnote", role="Growth Marketer"), app(2, "Acme", role="Data Analyst")]
    found = match(
        "Ben Okoro", "ben@gmail.com", "Quick call?", "Thanks for your application for the Growth Marketer role.", apps
    )
    assert found.application_id == 1 and found.label == "a guess"
    assert match("Ben", "ben@gmail.com", "Hi", "How are you?", apps).application_id is None
