"""The Data page: AppTest runs on an empty and a demo database, and a real-browser LinkedIn import."""

from __future__ import annotations

from pathlib import Path

import pytest

from rebound.db import Database
from rebound.store import Store

FIXTURES = Path(__file__).parents[1] / "fixtures"


def submit(at, label):
    return next(b for b in at.get("form_submit_button") if b.label == label)


def test_data_page_on_an_empty_database(run_page, db_path):
    at = run_page("pages/data.py", db_path)
    assert [t.label for t in at.tabs] == ["📥 Import", "📤 Export", "🛟 Backup & restore", "🗑️ Delete"]
    assert at.selectbox(key="data_import_format").value == "auto"
    assert "There is nothing to delete." in [c.value for c in at.caption]
    assert at.button(key="data_delete_go").disabled


def test_data_page_on_a_demo_database_deletes_only_with_the_typed_word(run_page, demo_db_path):
    at = run_page("pages/data.py", demo_db_path)
    assert not at.exception
    demo_button = at.button(key="data_demo_remove")
    assert "demo applications" in demo_button.label
    at.text_input(key="data_delete_confirm").input("delete please")
    at.button(key="data_delete_go").click().run()
    assert any("Type DELETE" in e.value for e in at.error)
    db = Database(demo_db_path)  # the same configuration as the app's open connection
    assert Store(db, "local").applications.count() > 0


def test_data_page_removes_demo_data(run_page, demo_db_path):
    at = run_page("pages/data.py", demo_db_path)
    at.button(key="data_demo_remove").click()
    at.run()
    assert not at.exception
    assert any("Removed" in s.value for s in at.success)
    db = Database(demo_db_path)
    assert Store(db, "local").account.demo_application_count() == 0


def test_data_page_delete_all_with_typed_confirmation(run_page, demo_db_path):
    at = run_page("pages/data.py", demo_db_path)
    at.text_input(key="data_delete_confirm").input("DELETE")
    at.button(key="data_delete_go").click().run()
    assert not at.exception
    assert any("Rebound is empty" in s.value for s in at.success)


@pytest.mark.browser
def test_browser_linkedin_import_preview_confirm(app_server, page, db_path, tmp_path):
    from conftest import wait_idle

    page.goto(app_server.url + "/data")
    wait_idle(page)
    page.get_by_text("Bring in your history").wait_for()
    page.locator("[class*='st-key-data_import_files_'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [
            str(FIXTURES / "Job Applications.csv"),
            str(FIXTURES / "Job Applications_1.csv"),
            str(FIXTURES / "Job Applications_2.csv"),
        ]
    )
    wait_idle(page)
    page.get_by_text("9 rows read: 7 new applications, 2 rows with problems.").wait_for()
    page.get_by_text("Job Applications_2.csv line 3").first.wait_for(state="attached")  # a grid cell
    page.screenshot(path=str(tmp_path / "data-preview.png"), full_page=True)
    page.get_by_role("button", name="Import 7 applications").click()
    wait_idle(page)
    page.get_by_text("Imported 7 applications.").wait_for()
    page.screenshot(path=str(tmp_path / "data-imported.png"), full_page=True)
    # the rows appear on the Outcomes page
    page.goto(app_server.url + "/outcomes")
    wait_idle(page)
    page.get_by_text("Northwind Analytics").first.wait_for(state="attached")
    # importing the same files again offers nothing new
    page.goto(app_server.url + "/data")
    wait_idle(page)
    page.locator("[class*='st-key-data_import_files_'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        [str(FIXTURES / "Job Applications.csv")]
    )
    wait_idle(page)
    page.get_by_text("nothing new to import").wait_for()


def test_an_attached_file_is_read_once_not_on_every_rerun(run_page, db_path, monkeypatch):
    """Streamlit reruns the page on every click while the file stays attached: the red team's
    8.7 MB workbook cost 70 s of CPU per parse, repeated on each click. The Data page reads an
    upload once (in the fenced worker) and keeps the sheets for its reruns."""
    from streamlit.delta_generator import DeltaGenerator

    class Upload:  # what st.file_uploader hands the page: a name and the bytes
        def __init__(self, path: Path) -> None:
            self.name, self.data = path.name, path.read_bytes()

        def getvalue(self) -> bytes:
            return self.data

    attached = [Upload(FIXTURES / "Job Applications.csv"), Upload(FIXTURES / "Job Applications_1.csv")]
    real_uploader = DeltaGenerator.file_uploader

    def uploader(self, label, *args, key=None, **kwargs):  # AppTest cannot attach files: the widget answers
        shown = real_uploader(self, label, *args, key=key, **kwargs)
        return attached if str(key).startswith("data_import_files_") else shown

    monkeypatch.setattr(DeltaGenerator, "file_uploader", uploader)
    at = run_page("pages/data.py", db_path, timeout=120)  # the first run reads the attached files
    assert [i.value for i in at.info] == ["6 rows read: 6 new applications."]

    import pages.data as data_page  # imported by that run, through the app

    reads = []
    for name in ("read_files_fenced", "read_files"):  # whichever reader the page calls

        def counted(*args, _read=getattr(data_page, name, None), **kwargs):
            reads.append(1)
            return _read(*args, **kwargs)

        if hasattr(data_page, name):
            monkeypatch.setattr(data_page, name, counted)
    at.selectbox(key="data_import_format").set_value("linkedin").run()  # reruns: the same file stays attached
    at.selectbox(key="data_import_format").set_value("auto").run()
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == ["6 rows read: 6 new applications."]
    assert reads == []  # three more runs, no read

    attached.append(Upload(FIXTURES / "Job Applications_2.csv"))  # another upload: read once more
    at.run()
    assert [i.value for i in at.info] == ["9 rows read: 7 new applications, 2 rows with problems."]
    assert len(reads) == 1
