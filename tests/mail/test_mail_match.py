"""Matching a mail to an application: names without case, accents, punctuation or legal suffixes."""

from __future__ import annotations

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
