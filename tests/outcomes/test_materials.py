"""CV and cover-letter versions (store.materials) and the version an application was sent with."""

import datetime as dt
import io
import zipfile

import pytest

from rebound.errors import StaleEdit, ValidationError
from rebound.outcomes.materials import MAX_FILE_BYTES, check_file
from rebound.store import Store

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_version_is_named_dated_and_says_what_changed(store, today):
    first = store.materials.add("cv", "v1 — long", today - dt.timedelta(days=30), "first draft", today=today)
    second = store.materials.add("cv", "v2", today - dt.timedelta(days=3), "after Initech's feedback", today=today)
    letter = store.materials.add("cover_letter", "short letter", today, today=today)
    rows = store.materials.all()
    assert [(r["id"], r["kind"], r["label"], r["changes"]) for r in rows] == [
        (letter, "cover_letter", "short letter", None),
        (first, "cv", "v1 — long", "first draft"),
        (second, "cv", "v2", "after Initech's feedback"),
    ]
    assert store.materials.latest("cv") == second  # the newest by its date: the default when logging
    assert store.materials.latest("cover_letter") == letter


@pytest.mark.parametrize(
    ("kind", "label", "made_on", "message"),
    [
        ("cv", "  ", 0, "name the version"),
        ("cv", "x" * 121, 0, "too long"),
        ("cv", "v9", 1, "in the future"),
        ("resume", "v9", 0, "Unknown kind"),
    ],
)
def test_bad_versions_are_refused_with_what_to_fix(store, today, kind, label, made_on, message):
    with pytest.raises(ValidationError, match=message):
        store.materials.add(kind, label, today + dt.timedelta(days=made_on), today=today)
    assert store.materials.all(include_deleted=True) == []


def test_the_file_is_kept_only_when_given_and_only_a_pdf_docx_or_txt(store, today):
    kept = store.materials.add("cv", "v1", today, file=check_file("C:\\me\\cv.pdf", PDF), today=today)
    without = store.materials.add("cv", "v2", today, today=today)
    got = store.materials.file(kept)
    assert got is not None and (got.name, got.type, got.data, got.media_type) == (
        "cv.pdf",
        "pdf",
        PDF,
        "application/pdf",
    )
    assert store.materials.file(without) is None
    assert check_file("cv.docx", docx_bytes()).type == "docx"
    assert check_file("notes.txt", "Ünïcode <b>bold</b>".encode()).media_type == "text/plain"  # never HTML
    store.materials.drop_file(kept)
    assert store.materials.file(kept) is None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.pdf", b"%PDF-" + b"0" * MAX_FILE_BYTES, "at most 5 MB"),
        ("empty.txt", b"", "empty"),
        ("page.pdf", b"<html><script>alert(1)</script>\x00", "not a PDF"),  # the name is not believed
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", "not a PDF"),
        ("sheet.docx", b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    ],
)
def test_odd_files_are_refused_with_a_clear_message(name, data, message):
    with pytest.raises(ValidationError, match=message):
        check_file(name, data)


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("evil.html", "<script>")
    with pytest.raises(ValidationError, match="not a Word document"):
        check_file("cv.docx", out.getvalue())


def test_an_edit_is_versioned_and_a_stale_one_refused(store, today):
    vid = store.materials.add("cv", "v1", today, today=today)
    read = store.materials.all()[0]["version"]
    store.materials.update(vid, "v1 (tidied)", today, "typo", version=read, today=today)
    with pytest.raises(StaleEdit):
        store.materials.update(vid, "v1 stale", today, "", version=read, today=today)
    assert store.materials.all()[0]["label"] == "v1 (tidied)"


def test_an_application_records_the_versions_it_was_sent_with(store, today):
    cv = store.materials.add("cv", "v1", today, today=today)
    letter = store.materials.add("cover_letter", "l1", today, today=today)
    app = store.applications.add(
        "Initech", "Analyst", "referral", today, today=today, cv_version_id=cv, letter_version_id=letter
    )
    got = store.applications.get(app)
    assert (got["cv_version_id"], got["letter_version_id"]) == (cv, letter)
    other = store.materials.add("cv", "v2", today, today=today)
    store.applications.update(app, "Initech", "Analyst", "referral", today, today=today, cv_version_id=other)
    got = store.applications.get(app)
    assert (got["cv_version_id"], got["letter_version_id"]) == (other, letter)  # the letter: unchanged
    with pytest.raises(ValidationError, match="CV version no longer exists"):  # a letter is not a CV
        store.applications.add("Hooli", "Analyst", "referral", today, today=today, cv_version_id=letter)


def test_imports_and_the_demo_leave_the_version_empty(store, today):
    from rebound.demo import generate

    store.materials.add("cv", "v1", today, today=today)
    generate(store, weeks=4, seed=3)
    assert store.applications.count() > 0
    assert store.materials.all()[0]["applications"] == 0  # never guessed


def test_a_used_version_deleted_keeps_its_label_and_its_applications(store, today):
    used = store.materials.add("cv", "v1 <b>", today, file=check_file("cv.pdf", PDF), today=today)
    unused = store.materials.add("cv", "v2", today, today=today)
    app = store.applications.add("Initech", "Analyst", "referral", today, today=today, cv_version_id=used)
    assert store.materials.delete(unused) == 0
    assert store.materials.delete(used) == 1
    assert store.materials.all() == []  # gone from the pickers …
    kept = store.materials.all(include_deleted=True)
    assert [(r["id"], r["label"], r["deleted"], r["applications"]) for r in kept] == [(used, "v1 <b>", True, 1)]
    assert store.materials.file(used) is None  # its file is not kept any more
    assert store.materials.latest("cv") is None
    assert store.applications.get(app)["cv_version_id"] == used  # … the application still says what it was sent with
    store.applications.update(app, "Initech", "Lead analyst", "referral", today, today=today)  # and still saves
    with pytest.raises(ValidationError, match="was deleted"):
        store.applications.add("Hooli", "Analyst", "referral", today, today=today, cv_version_id=used)


def test_every_query_is_scoped_to_its_user(db, store, today):
    mine = store.materials.add("cv", "mine", today, file=check_file("cv.txt", b"hello"), today=today)
    other = Store(db, "someone-else")
    assert other.materials.all(include_deleted=True) == []
    assert other.materials.file(mine) is None
    assert other.materials.latest("cv") is None
    with pytest.raises(ValidationError):
        other.materials.update(mine, "taken", today, today=today)
    other.materials.delete(mine)
    assert store.materials.all()[0]["label"] == "mine"
    with pytest.raises(ValidationError):  # another user's version cannot be linked
        other.applications.add("Initech", "Analyst", "referral", today, today=today, cv_version_id=mine)


def test_a_kept_file_goes_into_every_export_and_a_backup_restores_it(store, today):
    import base64
    import json

    from rebound import exporting
    from rebound.backup import make_backup, restore_backup

    vid = store.materials.add("cv", "v1", today, file=check_file("cv.pdf", PDF), today=today)
    store.applications.add("Initech", "Analyst", "referral", today, today=today, cv_version_id=vid)
    doc = json.loads(exporting.everything_json(store))
    assert base64.b64decode(doc["tables"]["material_versions"][0]["file_data"]) == PDF
    assert exporting.everything_xlsx(store)[:2] == b"PK"  # a file does not break the workbook
    restore_backup(store, make_backup(store), keep_aside=False)
    (version,) = store.materials.all()
    assert version["applications"] == 1  # the application still points at it, under its new id
    assert store.materials.file(version["id"]).data == PDF


def test_a_merge_fills_a_blank_version_from_the_other_row_and_undo_puts_it_back(store, today):
    cv = store.materials.add("cv", "v1", today, today=today)
    keep = store.applications.add("Initech", "Analyst", "job board", today, today=today)  # imported: no version
    other = store.applications.add("Initech", "Analyst", "job board", today, today=today, cv_version_id=cv)
    merge = store.applications.merge(keep, other)
    assert store.applications.get(keep)["cv_version_id"] == cv
    store.applications.undo_merge(merge)
    kept, back = store.applications.get(keep), store.applications.get(other)
    assert kept["cv_version_id"] is None and back["cv_version_id"] == cv  # blank again


def test_a_blank_version_from_a_refused_edit_kept_on_request_means_not_recorded(store, today):
    """rebound.ui.conflict shows and re-saves fields as plain values: None comes back as ''."""
    app = store.applications.add("Initech", "Analyst", "referral", today, today=today)
    store.applications.update(app, "Initech", "Analyst", "referral", today, today=today, cv_version_id="")
    assert store.applications.get(app)["cv_version_id"] is None
