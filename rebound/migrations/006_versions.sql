-- Every record an edit form changes carries a version: a save names the version it was read at and
-- lands only if the row is still at it (compare-and-set in the UPDATE, see Repository._versioned_update),
-- so a stale tab's save is refused, never written over a newer one. updated_at says when it changed.
ALTER TABLE applications ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE events ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE events ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE checkins ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE checkins ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE reflections ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE feedback_requests ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE feedback_requests ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE goals ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE goals ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE contacts ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE contacts ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE mail_findings ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE mail_findings ADD COLUMN updated_at TIMESTAMP;
