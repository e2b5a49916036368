-- Rebound schema, version 1. Every table carries user_id: the store filters by it on every query.
-- Forward-only: never edit this file once released; add 00N_*.sql instead.
CREATE SEQUENCE IF NOT EXISTS row_id START 1;

CREATE TABLE applications (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    company     VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    url         VARCHAR,
    channel     VARCHAR NOT NULL,
    location    VARCHAR,
    applied_on  DATE NOT NULL,
    notes       VARCHAR,
    source      VARCHAR NOT NULL DEFAULT 'manual',   -- manual, demo, linkedin, csv, ...
    source_key  VARCHAR,                              -- stable key for import de-duplication
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The stage timeline. Applying is applications.applied_on; everything after is an event.
CREATE TABLE events (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    application_id  BIGINT NOT NULL,
    kind            VARCHAR NOT NULL,   -- screen, interview, final, offer, accepted, rejected, withdrawn, ghosted, reopened, followed_up
    happened_on     DATE NOT NULL,
    round           INTEGER,            -- interview round 1..n
    stage           VARCHAR,            -- for rejected: the stage reached
    reason          VARCHAR,            -- for rejected: any reason given
    note            VARCHAR,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE settings (
    user_id  VARCHAR NOT NULL,
    key      VARCHAR NOT NULL,
    value    VARCHAR NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE checkins (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    checked_at      TIMESTAMP NOT NULL,
    mood            INTEGER NOT NULL,   -- 1..10
    energy          INTEGER,            -- 1..10
    emotions        VARCHAR[] NOT NULL DEFAULT [],
    note            VARCHAR,
    application_id  BIGINT
);

CREATE TABLE coping (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    day         DATE NOT NULL,
    kind        VARCHAR NOT NULL,
    with_whom   VARCHAR,
    minutes     INTEGER,
    helped      INTEGER,                -- 1..5
    note        VARCHAR
);

CREATE TABLE reflections (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    template        VARCHAR NOT NULL,
    day             DATE NOT NULL,
    answers         JSON NOT NULL,
    themes          VARCHAR[] NOT NULL DEFAULT [],
    application_id  BIGINT,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE feedback_requests (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    application_id  BIGINT NOT NULL,
    stage           VARCHAR,
    tone            VARCHAR,
    questions       VARCHAR[] NOT NULL DEFAULT [],
    contact_name    VARCHAR,
    contact_email   VARCHAR,
    subject         VARCHAR,
    message         VARCHAR,
    drafted_on      DATE NOT NULL,
    sent_on         DATE,
    answered_on     DATE,
    feedback_text   VARCHAR,
    themes          VARCHAR[] NOT NULL DEFAULT []
);

CREATE TABLE actions (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    source      VARCHAR NOT NULL,       -- feedback, reflection, manual
    source_id   BIGINT,
    kind        VARCHAR NOT NULL,       -- resume, interview skill, mock interview, learn a skill, other
    title       VARCHAR NOT NULL,
    due_on      DATE,
    done_on     DATE,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE contacts (
    id                  BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id             VARCHAR NOT NULL,
    name                VARCHAR NOT NULL,
    company             VARCHAR,
    how_met             VARCHAR,
    last_contact_on     DATE,
    next_follow_up_on   DATE,
    notes               VARCHAR
);

CREATE TABLE activities (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    day         DATE NOT NULL,
    kind        VARCHAR NOT NULL,       -- networking, informational interview, event, skills, mock interview, resume update, interview practice
    title       VARCHAR,
    minutes     INTEGER,
    contact_id  BIGINT,
    confidence  INTEGER,                -- 1..5 for interview practice
    note        VARCHAR
);

CREATE TABLE goals (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    week        DATE NOT NULL,          -- Monday of the ISO week
    metric      VARCHAR NOT NULL,       -- applications, networking, ..., or custom
    label       VARCHAR,
    target      INTEGER NOT NULL,
    done_count  INTEGER NOT NULL DEFAULT 0   -- ticks for custom goals; other metrics are counted from the logs
);

CREATE TABLE wins (
    id          BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id     VARCHAR NOT NULL,
    day         DATE NOT NULL,
    title       VARCHAR NOT NULL,
    kind        VARCHAR,
    event_id    BIGINT
);
