-- The weekly confidence check (issue 28): three answers, each 1–5, in our own words (rebound/content/
-- confidence.toml), one row per user and week (answering again the same week replaces it). Written only
-- while the user has the check turned on; the user can see and delete every row.
CREATE TABLE confidence_checks (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    week        DATE NOT NULL,           -- the Monday of the week answered
    answers     INTEGER[] NOT NULL,      -- one 1–5 answer per question, in the content file's order
    created_at  TIMESTAMP NOT NULL
);
