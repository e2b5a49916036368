-- Where reading a mailbox (IMAP, rebound/mail/imap.py) stopped, per account and folder: the next check
-- fetches only messages with a higher UID, while the folder's UIDVALIDITY is the same (a new one means
-- the server renumbered the folder: it is read again from `since`). Never a password (those live only in
-- the OS keyring, rebound/mail/credentials.py, or in memory).
CREATE TABLE mail_sync (
    user_id      VARCHAR NOT NULL,
    account      VARCHAR NOT NULL,     -- user@host:port
    folder       VARCHAR NOT NULL,
    uidvalidity  BIGINT NOT NULL,
    last_uid     BIGINT NOT NULL,      -- the highest UID read (or skipped as too large)
    since        DATE NOT NULL,        -- the first sync read mail from this day on
    checked_at   TIMESTAMP,            -- the last check that reached the server
    messages     INTEGER NOT NULL DEFAULT 0,   -- what that check read
    found        INTEGER NOT NULL DEFAULT 0,   -- and how many findings it proposed
    PRIMARY KEY (user_id, account, folder)
);
