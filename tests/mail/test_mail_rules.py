"""Classification: every fixture message against tests/fixtures/mail/expected.toml, each rule on its own,
the hard cases by name, and rules read from content data (not code)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from rebound.mail import classify as cl
from rebound.mail.match import match
from rebound.mail.parse import Mail, read_file

FIXTURES = Path(__file__).parents[1] / "fixtures" / "mail"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))
# One application per company the fixtures name, so each match can be checked.
APPS = [
    {"id": i + 1, "company": c, "role": "Analyst", "status": "applied", "applied_on": "2026-01-01"}
    for i, c in enumerate(sorted({e["company"] for e in EXPECTED.values() if "company" in e}))
]


def read(name: str) -> Mail:
    return next(m for m in read_file(FIXTURES / f"{name}.eml") if isinstance(m, Mail))


def test_there_are_at_least_60_fixtures_over_every_kind_and_language():
    assert len(EXPECTED) >= 60
    kinds = {e["kind"] for e in EXPECTED.values()}
    assert kinds == {"", *cl.KINDS}
    for prefix in ("de_", "fr_", "es_"):
        assert sum(n.startswith(prefix) for n in EXPECTED) >= 5, prefix
    for ats in ("greenhouse", "lever", "ashby", "workday", "smartrecruiters", "linkedin"):
        assert sum(n.startswith(ats) for n in EXPECTED) >= 2, ats


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(name):
    expected = EXPECTED[name]
    mail = read(name)
    verdict = cl.classify(mail.subject, mail.body, mail.sender)
    assert (verdict.kind or "") == expected["kind"], (verdict, expected.get("note"))
    if expected["kind"]:
        assert verdict.sentence  # the deciding sentence is kept, as written
    if expected.get("reason") == "":
        assert verdict.reason is None, verdict
    elif "reason" in expected:
        assert verdict.reason and expected["reason"].lower() in verdict.reason.lower()
    if "stage" in expected:
        assert verdict.stage == expected["stage"]
    if "company" in expected:
        found = match(mail.sender_name, mail.sender_addr, mail.subject, mail.body, APPS)
        assert found.company == expected["company"], found


# -- each rule on its own -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, text",
    [
        ("rejection", "We have decided to move forward with other candidates."),
        ("rejection", "Leider müssen wir Ihnen mitteilen, dass wir uns für andere Kandidaten entschieden haben."),
        ("rejection", "Nous ne pouvons pas donner suite à votre candidature."),
        ("rejection", "Lamentamos informarte que no seguiremos adelante."),
        ("offer", "We are pleased to offer you the role of Analyst."),
        ("offer", "Wir möchten Ihnen die Stelle anbieten."),
        ("offer", "Vous trouverez ci-joint notre proposition d'embauche."),
        ("offer", "Nos complace ofrecerte el puesto."),
        ("assessment", "Please complete the HackerRank coding test by Friday."),
        ("assessment", "Anbei eine kleine Programmieraufgabe."),
        ("assessment", "La prochaine étape est un test technique."),
        ("assessment", "El siguiente paso es una prueba técnica."),
        ("interview", "We'd like to invite you to an interview."),
        ("interview", "Wir laden Sie zu einem Vorstellungsgespräch ein."),
        ("interview", "Nous souhaitons vous inviter à un entretien."),
        ("interview", "Queremos invitarte a una entrevista."),
        ("received", "Thank you for applying!"),
        ("received", "Vielen Dank für Ihre Bewerbung."),
        ("received", "Nous avons bien reçu votre candidature."),
        ("received", "Hemos recibido tu candidatura."),
    ],
)
def test_each_kind_in_each_language(kind, text):
    assert cl.classify("", text).kind == kind


@pytest.mark.parametrize(
    "kind, text",
    [
        ("rejection", "We've decided to move forward with other applicants for this role."),
        ("rejection", "We have selected another candidate for the position."),
        ("interview", "We'd like to set up an interview with the hiring manager."),
        ("received", "Thank you for submitting your application to Acme."),
        (None, "We are reviewing your application alongside other candidates."),
        (None, "If you are invited to interview, you'll hear from us."),
        ("rejection", "We will not be able to move forward with your application."),
        (
            "rejection",
            "Malheureusement, nous ne sommes pas en mesure de donner une suite favorable à votre candidature.",
        ),
        ("rejection", "Wir haben uns für eine andere Bewerberin entschieden."),
        ("rejection", "En esta ocasión no podemos continuar con tu candidatura."),
    ],
)
def test_more_ats_wordings(kind, text):
    assert cl.classify("", text).kind == kind


def test_rejection_wins_over_interview_words():
    v = cl.classify(
        "",
        "Thank you for interviewing with us and for meeting the team. "
        "Unfortunately, we will not be moving forward to the next round.",
    )
    assert v.kind == "rejection" and v.stage == "interview"


def test_a_conditional_sentence_decides_nothing():
    assert cl.classify("", "If we decide to move forward, we will invite you to an interview.").kind is None
    assert cl.classify("", "If you don't hear from us, please assume we won't be moving forward.").kind is None
    # the condition AFTER the phrase does not undo it
    assert (
        cl.classify("", "We will not be moving forward, but if another role opens we'll be in touch.").kind
        == "rejection"
    )


def test_accents_case_and_apostrophes_do_not_matter():
    assert cl.classify("", "LEIDER MUSSEN WIR IHNEN MITTEILEN").kind == "rejection"
    assert cl.classify("", "we won’t be moving forward").kind == "rejection"
    assert cl.classify("", "Votre candidature n’a pas été retenue.").kind == "rejection"


def test_ignore_rules_for_alerts_newsletters_and_viewed_notices():
    assert cl.classify("Job alert: 5 new jobs", "We decided to move forward with other candidates").kind is None
    assert (
        cl.classify("Hi", "Unfortunately we will not move forward", "LinkedIn <jobalerts-noreply@linkedin.com>").kind
        is None
    )
    assert cl.classify("Update", "Your application was viewed by Acme.").kind is None


def test_a_reply_subject_does_not_decide_but_its_new_text_does():
    assert cl.classify("Re: Interview invitation", "Thanks, Tuesday works!").kind is None
    assert cl.classify("Re: Your application", "Unfortunately we will not move forward.").kind == "rejection"


def test_reason_is_the_employers_sentence_and_not_the_feedback_line():
    v = cl.classify(
        "Your application",
        "We have decided to move forward with other candidates. "
        "Due to the high volume of applications we cannot give individual feedback. "
        "The role requires five years of Go experience.",
    )
    assert v.reason == "The role requires five years of Go experience."
    assert cl.classify("", "We will not be moving forward with your application.").reason is None


def test_rules_come_from_content_data():
    custom = cl.load_rules(
        'order = ["offer"]\n[conditional]\nen = ["if"]\n[ignore]\nsubject = []\n'
        '[offer]\nxx = ["golden ticket"]\n[reason]\nmarkers = ["because"]\n'
    )
    assert cl.classify("", "You won the golden ticket!", r=custom).kind == "offer"
    assert cl.classify("", "We decided not to proceed.", r=custom).kind is None
    assert Path(cl.__file__).parent.parent.joinpath("content", cl.RULES_FILE).exists()


def test_rules_without_conditional_words_or_reason_markers_still_classify():
    # An empty phrase list compiles to no pattern: classify used to call .search on None.
    bare = cl.load_rules('order = ["rejection"]\n[ignore]\n[rejection]\nxx = ["not proceed"]\n[reason]\nmarkers = []\n')
    assert bare.conditional is None and bare.reason is None
    verdict = cl.classify("", "We will not proceed because the role needs Go.", r=bare)
    assert verdict.kind == "rejection" and verdict.reason is None


def test_gap_phrases_allow_a_few_words_between():
    assert cl.classify("", "We have chosen to move forward with a few other candidates.").kind == "rejection"
    assert cl.classify("", "move forward with one two three four five six seven other candidates").kind is None


# -- issue 26 item 6 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "subject, body, sender",
    [
        ("Your exclusive offer", "We are pleased to offer you 20% off your next order.", "Example <deals@example.com>"),
        ("Flight change", "We regret to inform you that your flight BA123 has been cancelled.", "BA <noreply@ba.com>"),
        (
            "Rental application for Unit 4B",
            "After reviewing all applications, the owner has decided to move forward with other applicants for this unit.",
            "Maple Court <leasing@maplecourt.com>",
        ),
        ("Grant decision", "Unfortunately your grant application has not been successful in this funding round.", ""),
        ("Course waitlist", "We regret to inform you that the course is full; you are on the waiting list.", ""),
        ("Ticket ballot", "Unfortunately, you have not been successful in the ticket ballot this time.", ""),
        ("Resolución de becas", "Lamentamos informarle de que su solicitud de beca no ha sido seleccionada.", ""),
        ("Treno soppresso", "Siamo spiacenti di informarla che il treno 9520 è stato soppresso.", ""),
        (
            "抽選結果",
            "誠に残念ながら落選となりました。ご希望に添えない結果となりました。",
            "チケット <noreply@ticket.jp>",
        ),
    ],
)
def test_regret_about_an_order_a_flight_a_flat_a_grant_a_course_or_a_ticket_is_nothing(subject, body, sender):
    verdict = cl.classify(subject, body, sender)
    assert verdict.kind is None and verdict.why_not, verdict


def test_the_same_words_about_a_role_still_decide():
    body = "Thank you for applying for the Data Analyst role. We have decided to move forward with other applicants."
    assert cl.classify("Your application", body).kind == "rejection"
    assert cl.classify("", "We are pleased to offer you the Data Analyst position.").kind == "offer"


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            "Thank you for applying for the analyst role. Following a restructuring, the position has been closed.",
            "Following a restructuring, the position has been closed.",
        ),
        (
            "Thanks for your interest in the role. We've had to pause hiring for this role.",
            "We've had to pause hiring for this role.",
        ),
        (
            "Vielen Dank für Ihre Bewerbung. Die Stelle wurde zwischenzeitlich intern besetzt.",
            "Die Stelle wurde zwischenzeitlich intern besetzt.",
        ),
        (
            "Gracias por tu candidatura. La dirección ha decidido congelar la contratación para esta posición.",
            "La dirección ha decidido congelar la contratación para esta posición.",
        ),
    ],
)
def test_a_position_closed_filled_or_frozen_is_a_rejection_with_that_reason(text, reason):
    verdict = cl.classify("Your application", text)
    assert verdict.kind == "rejection" and verdict.reason == reason


def test_the_reason_is_the_sentence_after_the_decision_not_the_decision():
    v = cl.classify(
        "Your application for Data Analyst",
        "We have decided to move forward with other candidates for the Data Analyst role. "
        "The role required fluency in Japanese.\n\nWe wish you the best of luck in your search.",
    )
    assert v.sentence.startswith("We have decided") and v.reason == "The role required fluency in Japanese."
    # a comparison with the other candidates, a courtesy or the decision said again is no reason
    for after in ("We wish you every success.", "It was a very close decision.", "They chose another candidate."):
        body = f"Unfortunately we will not be moving forward with your application for the role. {after}"
        assert cl.classify("", body).reason is None, after
    generic = "We have selected other candidates whose experience more closely matches the requirements of the role."
    assert cl.classify("", generic).reason is None
    # "for that reason" points back to the sentence before
    v = cl.classify(
        "", "The role needs two years of on-call work. For that reason we won't be progressing your application."
    )
    assert v.reason == "The role needs two years of on-call work."
    # a decision explained after a colon
    v = cl.classify("", "On a décidé de ne pas donner suite : on cherche quelqu'un sur place à Lyon à temps plein.")
    assert v.reason and "sur place à Lyon" in v.reason


@pytest.mark.parametrize(
    "kind, text",
    [
        ("rejection", "Helaas hebben we besloten om niet verder te gaan met je sollicitatie voor de functie."),
        ("rejection", "Purtroppo la sua candidatura non è stata selezionata per la posizione."),
        ("rejection", "慎重に選考を行いました結果、誠に残念ながら今回は採用を見送らせていただくことになりました。"),
        ("offer", "We willen je graag de functie aanbieden; het contractvoorstel volgt."),
        ("offer", "Siamo lieti di offrirle la posizione di analista."),
        ("offer", "この度は内定のご連絡を差し上げます。"),
        ("assessment", "Als volgende stap sturen we je een thuisopdracht voor de functie."),
        ("assessment", "La invitiamo a completare i nostri test attitudinali online."),
        ("assessment", "次のステップとして適性検査の受検をお願いいたします。"),
        ("interview", "Graag nodigen we je uit voor een sollicitatiegesprek."),
        ("interview", "Siamo lieti di invitarla a un colloquio presso la nostra sede."),
        ("interview", "一次面接の日程調整のご連絡です。"),
        ("received", "Bedankt voor je sollicitatie bij ons."),
        ("received", "Grazie per la tua candidatura alla posizione."),
        ("received", "この度はご応募いただき、誠にありがとうございます。"),
    ],
)
def test_each_kind_in_dutch_italian_and_japanese(kind, text):
    assert cl.classify("", text).kind == kind


def test_conditional_words_in_dutch_italian_and_japanese():
    assert cl.classify("", "Mocht je profiel passen, dan nodigen we je uit voor een sollicitatiegesprek.").kind is None
    assert cl.classify("", "Qualora il suo profilo fosse in linea, la contatteremo per un colloquio.").kind is None
    assert cl.classify("", "書類選考を通過された方にのみ、面接のご案内をお送りします。").kind is None
    # German "möchten" is not Dutch "mochten"
    assert cl.classify("", "Gerne möchten wir Sie zu einem Vorstellungsgespräch einladen.").kind == "interview"


# -- mail in the forms real senders use (issue 26: the dev2 corpus part) -------------------------------
def _eml(body: str, subject: str = "Your application", sender: str = "Acme Careers <careers@acme.com>") -> Mail:
    from rebound.mail.parse import parse_bytes

    raw = f"From: {sender}\nTo: alex@home.test\nSubject: {subject}\nMessage-ID: <t@x>\n\n{body}"
    return parse_bytes(raw.encode("utf-8"))


def test_a_signature_and_a_disclaimer_decide_nothing():
    body = (
        "Dear Alex,\n\nThank you for your application for the Analyst role. We will review it shortly.\n\n"
        "Kind regards,\nJo Smith\nAcme plc\n\nThis e-mail is intended solely for the addressee. "
        "We regret to inform you that e-mail is not secure; we will not move forward with any claim."
    )
    v = cl.classify("Your application", body)
    assert v.kind == "received", v
    # the same notice without a sign-off before it is still no decision: a confidentiality paragraph
    notice = "Thanks for applying to the Analyst role.\n\nThis email and any attachments are confidential and "
    notice += "intended solely for the addressee; we regret we cannot proceed with your request to unsubscribe."
    assert cl.classify("Application", notice).kind == "received"
    # "Sent from my iPhone" ends the message as a sign-off does
    assert cl.sentences("", "Will call you tomorrow.\n\nTom\n\nSent from my iPhone\nUnfortunately not") == [
        "Will call you tomorrow.",
        "Tom",
    ]


@pytest.mark.parametrize(
    "status", ["New status: Not selected", "Status: No longer under consideration", "Estado: Descartado"]
)
def test_a_status_only_ats_mail_is_a_rejection_without_a_reason(status):
    body = f"Hello Alex,\n\nThe status of your application has changed.\n\nJob requisition: R-10519 Planner\n{status}\n"
    v = cl.classify("Update to your application status", body, "Copperleaf <copperleaf@myworkday.com>")
    assert v.kind == "rejection" and v.reason is None, v
    assert v.sentence == status  # the field line alone, not the requisition above it


def test_the_stated_reason_may_be_an_item_of_a_bulleted_list():
    body = (
        "Hi Alex,\n\nWe won't be progressing your application further. You asked for feedback, so here are the "
        "main points from the reviewers:\n\n  * Clear, well-structured storyboard\n"
        "  * Limited examples of designing for adult learners\n  * Good use of scenarios\n\nBest,\nThe team"
    )
    v = cl.classify("Learning Designer", body, "Nimbus People Team <people@nimbus.example>")
    assert v.kind == "rejection" and v.reason == "Limited examples of designing for adult learners", v


def test_a_courtesy_before_but_does_not_hide_the_reason_after_it():
    body = (
        "After talking it over, we've decided to go in a different direction for this role. The feedback from the "
        "panel was positive on your API design, but we're looking for someone who has run event-driven systems."
    )
    v = cl.classify("Your interview", body)
    assert v.kind == "rejection" and v.reason and v.reason.endswith("who has run event-driven systems.")


def test_a_quoted_sentence_in_a_newsletter_is_not_a_decision():
    body = (
        '"Unfortunately, we have decided to move forward with other candidates" is the most-dreaded sentence '
        "in a job search. Here is what to do next."
    )
    assert cl.classify("5 things to do after a rejection", body, "Coach <hello@coach.example>").kind is None
    # a short status in quotes still decides
    assert cl.classify("Update", 'Your application status is now "Not selected".').kind == "rejection"


def test_a_reply_subject_says_what_the_thread_is_about_without_deciding():
    body = "Hi Alex, thanks for the submission. We've decided not to progress to the next stage."
    # the body alone names a "submission" (a word of journals and grants), the subject names the role
    v = cl.classify("Re: Take-home for the Analytics Engineer role", body, "Ines <ines@stillwater.io>")
    assert v.kind == "rejection", v


@pytest.mark.parametrize(
    "body",
    [
        "Ciao Alex, grazie!\n\nIl giorno 3 giugno 2026, Acme ha scritto:\n> Purtroppo la tua candidatura non è "
        "stata selezionata.",
        "Hoi Alex, bedankt!\n\nOp 3 juni 2026 schreef Acme <hr@acme.nl>:\n> Helaas is je sollicitatie afgewezen.",
        "Bedankt!\n\nVan: Acme <hr@acme.nl>\nVerzonden: maandag 3 juni 2026\nAan: Alex\n\nHelaas is je sollicitatie "
        "afgewezen.",
    ],
)
def test_quoted_history_in_dutch_and_italian_does_not_decide(body):
    mail = _eml(body, subject="Re: sollicitatie")
    assert cl.classify(mail.subject, mail.body, mail.sender).kind is None, mail.body


def test_a_forward_in_italian_is_read_as_the_message_it_carries():
    body = (
        "Ti inoltro la risposta.\n\n---------- Messaggio inoltrato ---------\nDa: Bernasconi Careers "
        "<careers@bernasconi.it>\nData: 3 giugno 2026\nOggetto: La tua candidatura\n\nCi dispiace comunicarti che "
        "la tua candidatura non è stata selezionata."
    )
    mail = _eml(body, subject="I: La tua candidatura", sender="Alex <alex@gmail.com>")
    assert mail.forwarded and mail.sender_addr == "careers@bernasconi.it" and mail.subject == "La tua candidatura"
    assert cl.classify(mail.subject, mail.body, mail.sender).kind == "rejection"


def test_card_loan_and_visa_mail_is_not_a_job():
    card = (
        "Thank you for applying for the Summit Rewards card.\n\nWe regret that we are unable to approve your "
        "application at this time, based on your credit history."
    )
    assert cl.classify("Your card application", card, "Summit <noreply@alerts.summitcard.com>").kind is None
    loan = "Sentimos comunicarle que no ha sido posible aprobar su solicitud de préstamo personal."
    assert cl.classify("Su solicitud", loan, "Banco <avisos@banco.es>").kind is None


def test_a_distinctive_word_of_the_name_matches_and_a_shared_one_does_not():
    apps = [
        {"id": 1, "company": "Saltmarsh Capital Partners", "role": "Quant Analyst", "status": "applied"},
        {"id": 2, "company": "Fratelli Bernasconi S.p.A.", "role": "Data Analyst", "status": "applied"},
        {"id": 3, "company": "Kranich Software GmbH", "role": "Backend-Entwickler (m/w/d)", "status": "applied"},
        {"id": 4, "company": "Kranich Software GmbH", "role": "Teamleitung (m/w/d)", "status": "applied"},
    ]
    agency = match("Tom", "tom@gmail.com", "Quant role", "Saltmarsh have come back and won't go further.", apps)
    assert agency.application_id == 1
    assert match("Bernasconi Careers", "noreply@smartrecruiters.com", "Aggiornamento", "Ciao", apps).application_id == 2
    # "Capital" alone names no company
    assert match("Tom", "tom@gmail.com", "Update", "Capital markets are slow this week.", apps).application_id is None
    # of two roles at one company, the one the mail names (without the tracked role's brackets)
    offer = "Wir freuen uns, dir die Stelle als Backend-Entwickler anbieten zu können."
    assert match("Jonas", "jonas@kranich.software", "Angebot", offer, apps).application_id == 3
