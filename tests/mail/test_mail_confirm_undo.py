"""A calm "Confirm all" (issue 25 item 5): the preview lists exactly what the confirmation then does,
the confirmation is one transaction, one Undo puts everything back, refused (naming what) when
something since depends on it; and stale edits of proposals refused (item 2)."""

from __future__ import annotations

import datetime as dt

import pytest

from rebound.errors import StaleEdit, ValidationError
from rebound.mail.parse import parse_pasted
from rebound.mail.repository import Plan, PlanChanged
from rebound.mail.scan import scan_items
from rebound.store import Store

D = dt.date
TODAY = D(2026, 11, 30)  # a fixed day passed to the code (the mails are of 22 Nov 2026)
REJECTION = (
    "Hi Sam,\n\nThank you for interviewing for the Data Analyst role. Unfortunately we have decided to move "
    "forward with other candidates, as the role requires more SQL experience.\n"
)


def apps_of(store):
    return store.mail.applications()


def paste(store, sender, subject, text=REJECTION):
    found = scan_items([parse_pasted(text, subject=subject, sender=sender, today=D(2026, 11, 22))], apps_of(store))
    assert store.mail.record(found.findings) == 1


def everything(store) -> dict:
    """Every row of the tables a confirmation touches, as they are (versions and moments too)."""
    return {
        t: store.scope.rows(f"SELECT * FROM {t} WHERE user_id = $user ORDER BY id")
        for t in ("applications", "events", "mail_findings")
    }


@pytest.fixture
def mailbox(store):
    """Acme (applied 1 Nov, interviewed 10 Nov) with a rejection from its mail, and a rejection
    from Globex, which matches no application (confirming creates it)."""
    acme = store.applications.add("Acme, Inc.", "Data Analyst", "referral", D(2026, 11, 1))
    store.applications.add_event(acme, "interview", D(2026, 11, 10), round=1)
    paste(store, "Acme Recruiting <jobs@acme.com>", "Your application")
    paste(store, "Globex Talent <talent@globex.com>", "Your Globex application")
    ids = [r["id"] for r in store.mail.findings()]
    return acme, ids


def test_the_preview_lists_new_applications_and_events_on_which_application(store, mailbox):
    acme, ids = mailbox
    before = everything(store)
    plan = store.mail.preview(ids, today=TODAY)
    assert everything(store) == before  # a preview writes nothing
    assert plan.lines() == [
        "New application it will create (1):",
        "  • Globex — Data Analyst · applied 22 Nov 2026",
        "Events it will add (2):",
        "  • Rejected (at interview) on 22 Nov 2026 → Globex — Data Analyst · applied 22 Nov 2026",
        "  • Rejected (at interview) on 22 Nov 2026 → Acme, Inc. — Data Analyst · applied 1 Nov 2026",
    ]
    assert plan.ids == ids and plan.refused == ()


def test_the_confirmation_does_exactly_what_the_preview_listed(store, mailbox):
    acme, ids = mailbox
    plan = store.mail.preview(ids, today=TODAY)
    done = store.mail.confirm(plan.ids, today=TODAY, expect=plan)
    created = next(d for d in done if d["created_application"])
    assert store.applications.get(created["application_id"])["company"] == "Globex"
    assert [d["event"] for d in done] == ["rejected", "rejected"]
    assert store.applications.get(acme)["status"] == "rejected"
    assert store.applications.count() == 2 and store.mail.findings() == []


def test_a_confirmation_that_would_differ_from_its_preview_writes_nothing(store, mailbox):
    acme, ids = mailbox
    plan = store.mail.preview(ids, today=TODAY)
    store.applications.add_event(acme, "rejected", D(2026, 11, 22), stage="interview", today=TODAY)  # another tab
    before = everything(store)
    with pytest.raises(PlanChanged, match="changed since this list was shown"):
        store.mail.confirm(plan.ids, today=TODAY, expect=plan)
    assert everything(store) == before
    again = store.mail.preview(ids, today=TODAY)
    assert "Already on the timeline, not added again:" in again.lines()


def test_a_proposal_that_would_be_refused_is_listed_with_why_and_left_out(store, mailbox):
    _, ids = mailbox
    paste(store, "", "", "Thank you for applying! We received your application.")
    nameless = next(r for r in store.mail.findings() if r["id"] not in ids)
    store.mail.edit(nameless["id"], "received", "", "", None, None)  # names no company, no application
    plan = store.mail.preview([*ids, nameless["id"]], today=TODAY)
    assert plan.ids == ids
    assert [i for i, _ in plan.refused] == [nameless["id"]] and "names no company" in plan.refused[0][1]
    assert plan.lines()[-2:] == ["Not confirmed (left as they are):", f"  • {plan.refused[0][1]}"]


def test_undo_puts_everything_back_as_it_was(store, mailbox):
    _, ids = mailbox
    before = everything(store)
    store.mail.confirm(ids, today=TODAY)
    last = store.mail.last_confirm()
    assert (last["findings"], last["applications"], last["events"]) == (2, 1, 2)
    assert store.mail.undo_confirm(last["id"]) == 2
    after = everything(store)
    assert after["applications"] == before["applications"] and after["events"] == before["events"]
    findings = store.mail.findings()
    assert sorted(r["id"] for r in findings) == sorted(ids)
    assert {(r["status"], r["event_id"]) for r in findings} == {("proposed", None)}
    assert {r["id"]: r["application_id"] for r in findings} == {
        r[0]: r[columns("mail_findings", store).index("application_id")] for r in before["mail_findings"]
    }
    assert store.mail.last_confirm() is None
    with pytest.raises(ValidationError, match="already undone"):
        store.mail.undo_confirm(last["id"])


def columns(table, store):
    return [c["name"] for c in store.account.table_columns(table)]


def test_undo_of_a_single_confirmation_and_an_event_already_there(store, mailbox):
    acme, ids = mailbox
    logged = store.applications.add_event(acme, "rejected", D(2026, 11, 22), stage="interview", today=TODAY)
    acme_finding = next(r["id"] for r in store.mail.findings() if r["application_id"] == acme)
    done = store.mail.confirm_one(acme_finding, today=TODAY)
    assert done["event_id"] == logged and done["already"]
    store.mail.undo_confirm(store.mail.last_confirm()["id"])
    assert logged in store.applications.timeline(acme)["id"].dropna().astype(int).tolist()  # there before: stays
    assert {r["id"] for r in store.mail.findings()} == set(ids)


def test_only_the_latest_confirmation_can_be_undone(store, mailbox):
    _, ids = mailbox
    store.mail.confirm_one(ids[0], today=TODAY)
    first = store.mail.last_confirm()["id"]
    store.mail.confirm_one(ids[1], today=TODAY)
    assert store.mail.last_confirm()["findings"] == 1 and store.mail.last_confirm()["id"] != first
    with pytest.raises(ValidationError, match="already undone or kept"):
        store.mail.undo_confirm(first)


def test_keep_ends_the_undo(store, mailbox):
    _, ids = mailbox
    store.mail.confirm(ids, today=TODAY)
    store.mail.keep_confirm(store.mail.last_confirm()["id"])
    assert store.mail.last_confirm() is None


def _created(store, done):
    return next(d["application_id"] for d in done if d["created_application"])


@pytest.mark.parametrize(
    "since, says",
    [
        ("edit the created application", "You edited Globex — Data Analyst since"),
        ("log an event on it", "Globex — Data Analyst has “Followed up” on 25 Nov 2026, logged since"),
        ("check in about it", "A check-in is linked to Globex — Data Analyst since"),
        ("edit the event", "The event “Rejected (at interview)” of Acme, Inc. — Data Analyst was edited since"),
        ("delete the event", "An event it added was removed since"),
        ("delete the created application", "An application it created was deleted or merged since"),
    ],
)
def test_undo_is_refused_naming_what_depends_on_it(store, mailbox, since, says):
    acme, ids = mailbox
    done = store.mail.confirm(ids, today=TODAY)
    globex = _created(store, done)
    acme_event = next(d["event_id"] for d in done if d["application_id"] == acme)
    if since == "edit the created application":
        store.applications.update(
            globex, "Globex", "Data Analyst", "other", D(2026, 11, 22), notes="Call back", today=TODAY
        )
    elif since == "log an event on it":
        store.applications.add_event(globex, "followed_up", D(2026, 11, 25), today=TODAY)
    elif since == "check in about it":
        store.checkins.add(5, 5, ["sad"], "", application_id=globex)
    elif since == "edit the event":
        event = store.applications.get_event(acme_event)
        store.applications.update_event(
            acme_event, event["happened_on"], stage=event["stage"], reason="Too junior", version=event["version"]
        )
    elif since == "delete the event":
        store.applications.delete_event(acme_event)
    else:
        store.applications.delete(globex)
    before = everything(store)
    with pytest.raises(ValidationError) as refused:
        store.mail.undo_confirm(store.mail.last_confirm()["id"])
    assert says in str(refused.value) and str(refused.value).endswith("Nothing was undone.")
    assert everything(store) == before


def test_undo_after_a_restored_backup_is_refused(store, mailbox):
    from rebound.backup import make_backup, restore_backup

    _, ids = mailbox
    store.mail.confirm(ids, today=TODAY)
    old = store.mail.last_confirm()["id"]
    restore_backup(store, make_backup(store))  # every id re-drawn
    assert store.mail.last_confirm() is None  # nothing offered that cannot be undone
    with pytest.raises(ValidationError):
        store.mail.undo_confirm(old)


# -- two tabs ---------------------------------------------------------------------------------------
def test_confirming_twice_from_two_tabs_writes_once(store, mailbox):
    acme, ids = mailbox
    acme_finding = next(r["id"] for r in store.mail.findings() if r["application_id"] == acme)
    store.mail.confirm_one(acme_finding, today=TODAY)  # tab A
    before = everything(store)
    with pytest.raises(ValidationError, match="already confirmed .in another tab or window.*nothing was added twice"):
        store.mail.confirm_one(acme_finding, today=TODAY)  # tab B, still showing it
    assert everything(store) == before
    assert store.applications.timeline(acme)["kind"].tolist().count("rejected") == 1


def test_confirm_all_after_another_tab_dismissed_one_lists_it_as_not_confirmed(store, mailbox):
    _, ids = mailbox
    store.mail.dismiss([ids[0]])  # tab A
    plan = store.mail.preview(ids, today=TODAY)  # tab B's Confirm all
    assert plan.ids == [ids[1]] and "already dismissed" in plan.refused[0][1]


def test_a_stale_edit_of_a_proposal_is_refused_and_keeps_the_newer(store, mailbox):
    acme, ids = mailbox
    row = next(r for r in store.mail.findings() if r["application_id"] == acme)
    read = row["version"]
    store.mail.edit(row["id"], "rejection", row["company"], row["role"], acme, "Tab A's reason", version=read)
    with pytest.raises(StaleEdit) as stale:
        store.mail.edit(row["id"], "rejection", row["company"], row["role"], acme, "Tab B's reason", version=read)
    assert stale.value.theirs["reason"] == "Tab A's reason" and stale.value.version == read + 1
    assert next(r for r in store.mail.findings() if r["id"] == row["id"])["reason"] == "Tab A's reason"
    # saving again at the version it was refused with keeps tab B's ("Keep mine")
    store.mail.edit(row["id"], "rejection", row["company"], row["role"], acme, "Tab B's reason", stale.value.version)
    assert next(r for r in store.mail.findings() if r["id"] == row["id"])["reason"] == "Tab B's reason"


def test_editing_a_proposal_another_tab_confirmed_is_refused(store, mailbox):
    acme, ids = mailbox
    row = next(r for r in store.mail.findings() if r["application_id"] == acme)
    store.mail.confirm_one(row["id"], today=TODAY)
    with pytest.raises(ValidationError, match="already confirmed"):
        store.mail.edit(row["id"], "rejection", "X", "Y", acme, "late", version=row["version"])


def test_the_preview_refuses_to_run_inside_a_transaction(store, mailbox):
    _, ids = mailbox
    with store.db.transaction(), pytest.raises(RuntimeError):
        store.mail.preview(ids, today=TODAY)


def test_undo_is_per_user(db, mailbox, store):
    _, ids = mailbox
    store.mail.confirm(ids, today=TODAY)
    bob = Store(db, "bob")
    assert bob.mail.last_confirm() is None
    with pytest.raises(ValidationError):
        bob.mail.undo_confirm(store.mail.last_confirm()["id"])
    assert store.mail.last_confirm() is not None


def test_an_empty_plan_says_nothing():
    assert Plan(()).lines() == [] and Plan(()).ids == []
