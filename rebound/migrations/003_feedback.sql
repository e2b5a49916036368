-- Feedback requests the user gave up waiting for ("no answer, stop reminding me").
ALTER TABLE feedback_requests ADD COLUMN closed_on DATE;
