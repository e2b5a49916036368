"""The passphrase of the local journal: set, change or remove it. Thin: rebound.ui.unlock asks and
tells, rebound.passphrase and rebound.db.rewrite do the work."""

from pages import through_app
from rebound.ui.unlock import passphrase_settings


def render() -> None:
    passphrase_settings()


through_app(__name__)
