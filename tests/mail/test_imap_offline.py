"""The IMAP reader's rules that need no server: mailbox addresses, the user's messages for refused
sign-ins (providers' real replies), read-only enforcement, a silent server, and the keyring."""

from __future__ import annotations

import imaplib
import socket

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from rebound.errors import MailboxError
from rebound.mail import credentials, imap


def test_mailbox_addresses():
    a = imap.parse_url("imaps://sam%40example.org@imap.gmail.com/Jobs%2FReplies")
    assert (a.host, a.user, a.port, a.folder, a.security) == (
        "imap.gmail.com",
        "sam@example.org",
        993,
        "Jobs/Replies",
        "tls",
    )
    assert a.key == "sam@example.org@imap.gmail.com:993"
    local = imap.parse_url("imap://sam@127.0.0.1:1143")
    assert (local.port, local.folder, local.security) == (1143, "INBOX", "plain")
    assert imap.parse_url("imap://sam@[::1]:1143/INBOX").security == "plain"
    assert imap.parse_url("imap://sam@localhost/INBOX").port == 143


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("imap://sam@mail.example.org/INBOX", "unencrypted"),
        ("imap://sam@10.0.0.5:143/INBOX", "unencrypted"),
        ("imap://sam@127.evil.example/INBOX", "unencrypted"),  # a name is not an address: never trusted
        ("imaps://sam:hunter2@imap.gmail.com/INBOX", "no password in the mailbox address"),
        ("imaps://imap.gmail.com/INBOX", "needs a user"),
        ("pop3://sam@example.org", "not a mailbox address"),
        ("imaps://sam@imap.gmail.com:99999/INBOX", "port"),
    ],
)
def test_bad_mailbox_addresses_are_refused_with_a_reason(url, says):
    with pytest.raises(MailboxError, match=says) as raised:
        imap.parse_url(url)
    assert "hunter2" not in str(raised.value)


GMAIL = imap.Account("imap.gmail.com", "sam@gmail.com")
OUTLOOK = imap.Account("outlook.office365.com", "sam@outlook.com")
OTHER = imap.Account("mail.example.org", "sam")


@pytest.mark.parametrize(
    ("account", "reply", "says"),
    [
        # Gmail's replies, as it sends them
        (
            GMAIL,
            "b'[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)'",
            "wants an app password.*myaccount.google.com/apppasswords",
        ),
        (
            GMAIL,
            "b'[AUTHENTICATIONFAILED] Invalid credentials (Failure)'",
            "did not accept.*Gmail needs an app password",
        ),
        (OUTLOOK, "b'LOGIN failed.'", "did not accept.*Outlook needs an app password"),
        (OUTLOOK, "b'AUTHENTICATE failed.'", "did not accept"),
        (
            OTHER,
            "b'[AUTHENTICATIONFAILED] Authentication failed.'",
            "did not accept.*many providers want an app password",
        ),
        (OTHER, "b'[UNAVAILABLE] Temporary authentication failure.'", "refused the sign-in for sam.*UNAVAILABLE"),
        (OTHER, "", "refused the sign-in for sam: no reason given"),
    ],
)
def test_refused_sign_ins_say_what_to_do(account, reply, says):
    assert __import__("re").search(says, imap.login_message(account, reply))


def test_the_connection_refuses_every_command_that_could_change_the_mailbox():
    conn = object.__new__(imap._IMAP4)  # no network: the refusal comes before anything is sent
    for name, args in [("SELECT", ("INBOX",)), ("STORE", ("1", "+FLAGS", "(\\Seen)")), ("EXPUNGE", ()),
                       ("COPY", ("1", "Trash")), ("APPEND", ("INBOX",)), ("UID", ("STORE", "1", "+FLAGS")),
                       ("UID", ("MOVE", "1", "Trash")), ("UID", ("EXPUNGE", "1"))]:  # fmt: skip
        with pytest.raises(MailboxError, match="reads mail only"):
            conn._command(name, *args)


def test_an_endless_literal_is_refused_before_it_is_read():
    conn = object.__new__(imap._IMAP4)
    with pytest.raises(imaplib.IMAP4.abort, match="more than a message may have"):
        conn.read(10**12)


def test_a_server_that_never_answers_times_out_with_a_message():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        account = imap.Account("127.0.0.1", "sam", port, "INBOX", "plain")
        with pytest.raises(MailboxError, match="did not answer within 0.5 seconds"):
            imap.open_mailbox(account, "pw", timeout=0.5)


def test_nobody_listening_is_named():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: the connection is refused
        with pytest.raises(MailboxError, match="refused the connection"):
            imap.open_mailbox(imap.Account("127.0.0.1", "sam", port, "INBOX", "plain"), "pw", timeout=5)


# -- the keyring -----------------------------------------------------------------------------------
class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in this process (the library's own backend interface)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.items = {}

    def get_password(self, service, username):
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        if self.items.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)


def test_a_password_is_remembered_only_when_asked_and_forgotten(use_keyring):
    ring = use_keyring(MemoryKeyring())
    key = GMAIL.key
    assert credentials.saved_password(key) is None
    credentials.remember_password(key, "app pass word")
    assert ring.items == {(credentials.SERVICE, key): "app pass word"}
    assert credentials.saved_password(key) == "app pass word"
    assert credentials.forget_password(key) is True
    assert credentials.forget_password(key) is False and credentials.saved_password(key) is None


def test_no_keyring_on_this_computer_is_a_clear_message(use_keyring):
    use_keyring(keyring.backends.fail.Keyring())
    assert credentials.saved_password(GMAIL.key) is None
    with pytest.raises(MailboxError, match="no password store"):
        credentials.remember_password(GMAIL.key, "secret")
    assert credentials.forget_password(GMAIL.key) is False
