-- Findings from the user's own mail: proposals to confirm, edit or dismiss (rebound/store/mail.py).
-- Only what a finding needs is kept; mail bodies and attachments are never stored.
-- message_key is the Message-ID (or a hash of the headers when a message has none): scanning the
-- same mail again finds the row and proposes nothing new; a dismissed finding stays dismissed.
CREATE TABLE mail_findings (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    message_key     VARCHAR NOT NULL,
    mail_date       DATE,
    sender          VARCHAR,
    subject         VARCHAR,
    kind            VARCHAR NOT NULL,    -- rejection, interview, assessment, offer, received
    company         VARCHAR,
    role            VARCHAR,
    application_id  BIGINT,              -- the matched (or, on confirming, created) application
    confidence      DOUBLE,              -- how sure the match is, 0..1
    stage           VARCHAR,             -- the stage the mail speaks of (screen, interview, final)
    sentence        VARCHAR,             -- the sentence that decided the kind
    reason          VARCHAR,             -- a rejection's stated reason, quoted
    status          VARCHAR NOT NULL DEFAULT 'proposed',   -- proposed, confirmed, dismissed
    event_id        BIGINT,              -- the event a confirmation wrote
    found_at        TIMESTAMP NOT NULL DEFAULT current_timestamp,
    decided_at      TIMESTAMP,
    UNIQUE (user_id, message_key)
);
