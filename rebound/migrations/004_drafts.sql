-- Unsaved form drafts (a half-written reflection, check-in, the rejection flow's progress), kept per
-- user so they survive a reload, a closed tab and a server restart. A row lives only until its form
-- is saved or discarded; "Delete all my data" removes them with everything else.
CREATE TABLE drafts (
    user_id     VARCHAR NOT NULL,
    form_id     VARCHAR NOT NULL,
    fields      JSON NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, form_id)
);
