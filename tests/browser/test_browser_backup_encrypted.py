"""Real browser (issue 24): make an encrypted backup on the Data page (a real download), then restore it
through the real upload with its passphrase: a wrong one is refused, the right one opens it, and the
restore goes through as a plain backup's would."""

import datetime as dt

import pytest
from conftest import AppServer, wait_idle
from playwright.sync_api import expect
from test_browser_journey import no_exception

from rebound.backup import decrypt_backup, is_encrypted_backup
from rebound.db import Database
from rebound.store import Store

pytestmark = pytest.mark.browser

WORDS = "a backup passphrase of mine"
RESTORE_UPLOAD = "[class*='st-key-data_restore_file_'] [data-testid='stFileUploaderDropzoneInput']"


def test_an_encrypted_backup_downloads_and_restores_with_its_passphrase(db_path, browser, tmp_path):
    today = dt.date.today()  # the server's clock (browser tests keep the real one)
    db = Database(db_path)
    store = Store(db, "local")
    store.applications.add("Acme Robotics", "Analyst", "referral", today - dt.timedelta(days=9))
    store.applications.add("Kōwhai & Co", "Data Analyst", "job board", today - dt.timedelta(days=4))
    db.close()
    server = AppServer(db_path)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{server.url}/data")
        main = page.get_by_test_id("stMain")
        main.get_by_role("tab", name="🛟 Backup & restore").wait_for(timeout=120_000)  # a first run, on a busy machine
        wait_idle(page)
        main.get_by_role("tab", name="🛟 Backup & restore").click()
        wait_idle(page)
        main.get_by_text("Encrypt the backup with a passphrase").click()
        wait_idle(page)
        main.get_by_text("A forgotten passphrase cannot be recovered").wait_for()
        for label in ("Backup passphrase", "The same passphrase again"):
            field = main.get_by_label(label)
            field.fill(WORDS)
            field.press("Enter")
            wait_idle(page)
        button = main.get_by_role("button", name="Download an encrypted backup")
        expect(button).to_be_enabled()
        with page.expect_download(timeout=60_000) as download:
            button.click()
        name = download.value.suggested_filename
        assert name.startswith("rebound-backup-") and name.endswith(".zip.enc")
        saved = tmp_path / name
        download.value.save_as(saved)
        blob = saved.read_bytes()
        assert is_encrypted_backup(blob) and b"Acme Robotics" not in blob
        assert decrypt_backup(blob, WORDS).startswith(b"PK")
        wait_idle(page)

        page.locator(RESTORE_UPLOAD).set_input_files(str(saved))
        main.get_by_text("This backup is encrypted.").wait_for()
        expect(main.get_by_text("Backup from")).to_have_count(0)
        secret = main.get_by_label("Passphrase of this backup")
        secret.fill("not the passphrase")
        main.get_by_role("button", name="Open the backup").click()
        wait_idle(page)
        main.get_by_text("That passphrase does not open this encrypted backup").wait_for()
        expect(main.get_by_text("Backup from")).to_have_count(0)
        main.get_by_label("Passphrase of this backup").fill(WORDS)
        main.get_by_role("button", name="Open the backup").click()
        wait_idle(page)
        summary = main.get_by_text("Backup from")
        summary.wait_for()
        assert ": 2 applications," in summary.inner_text()
        main.get_by_text("I understand this replaces all my current data").click()
        wait_idle(page)
        main.get_by_role("button", name="Restore this backup").click()
        main.get_by_text("Restored 2 applications").wait_for(timeout=60_000)
        no_exception(page)
    finally:
        context.close()
        server.stop()
