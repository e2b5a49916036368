-- What one confirmation of mail proposals wrote (rebound/mail/repository.py, MailRepository.confirm), so
-- one Undo can take it back: the applications and events it created (each with the version it had then:
-- an edit since refuses the undo) and each proposal's link before. Only the latest confirmation of a user
-- is kept (a new one, an Undo or "Keep" removes it). The ids are in `undo` (JSON), with this row's own id:
-- a backup's restore re-draws the row's id, not the JSON's, so an undo from before a restore is refused.
CREATE TABLE mail_confirms (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    confirmed_at    TIMESTAMP NOT NULL,
    undo            JSON NOT NULL
);
