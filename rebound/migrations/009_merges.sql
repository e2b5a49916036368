-- Two rows that were one application, merged (rebound/outcomes/repository.py, ApplicationsRepository.merge):
-- what Undo needs to put back exactly the state before, kept until it is undone or the user keeps the merge.
-- application_id is the application kept (a backup's restore re-draws it like every reference);
-- undo holds the rows the merge deleted (the merged-away application, its events that repeated one
-- already there, earlier merges into it), every reference it moved (table, column, row id, from, to)
-- and the kept application's details before (its date and the blanks the other one filled).
-- A merged-away application's import key (source, source_key) stays known through its record, so
-- importing the same export again does not bring back the row merged away (MERGED_SOURCE_KEYS).
-- Re-applications (the same company and role again) are not stored: they are derived from the names.
CREATE TABLE merges (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    application_id  BIGINT NOT NULL,
    kept_version    INTEGER NOT NULL,    -- the kept application's version right after the merge
    merged_at       TIMESTAMP NOT NULL,
    settled_at      TIMESTAMP,           -- "Keep merged": no Undo offered any more (the record stays, see below)
    undo            JSON NOT NULL
);
