-- When-and-where plans (rebound/momentum/plans.py, PlansRepository): "Tuesday 10:00, at the library:
-- send two applications". A plan belongs to the rejection path's small next step (application_id:
-- the rejection it followed) or to a weekly goal (goal_id); either may be empty.
-- day is when it is planned now; first_day when it was first planned (the weekly review counts a
-- plan in the week it was first meant for, so moving it on does not hide it). state: planned, done
-- (done_at says when) or moved (to `day`, still to do; moves counts how often).
CREATE TABLE plans (
    id              BIGINT PRIMARY KEY DEFAULT nextval('row_id'),
    user_id         VARCHAR NOT NULL,
    what            VARCHAR NOT NULL,
    day             DATE NOT NULL,
    at_time         TIME,
    place           VARCHAR,
    goal_id         BIGINT,
    application_id  BIGINT,
    state           VARCHAR NOT NULL DEFAULT 'planned',
    first_day       DATE NOT NULL,
    moves           INTEGER NOT NULL DEFAULT 0,
    done_at         TIMESTAMP,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    version         INTEGER DEFAULT 1,
    updated_at      TIMESTAMP
);
