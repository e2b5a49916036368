-- Materials and their versions (issue 27 item 2): the versions of the user's CV and cover letter they
-- name (a label, the day it was made, what changed and why) and, only when the user chooses to keep
-- it, the file itself (PDF, DOCX or TXT, size-limited: rebound/outcomes/materials.py). A version that
-- applications used is never removed from under them: deleting it marks it deleted (deleted_at, its
-- file dropped) and the applications keep pointing at it ("deleted version: <label>").
CREATE TABLE material_versions (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,      -- cv, cover_letter
    label       VARCHAR NOT NULL,
    made_on     DATE NOT NULL,
    changes     VARCHAR,               -- what changed and why ("after Initech's feedback")
    file_name   VARCHAR,
    file_type   VARCHAR,               -- pdf, docx, txt (checked from the bytes, not the name)
    file_size   INTEGER,
    file_data   BLOB,                  -- only when the user chose to keep the file
    deleted_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP,
    version     INTEGER DEFAULT 1
);
-- The versions an application was sent with (NULL: not recorded; imports, the demo and mail leave it empty).
ALTER TABLE applications ADD COLUMN cv_version_id BIGINT;
ALTER TABLE applications ADD COLUMN letter_version_id BIGINT;
