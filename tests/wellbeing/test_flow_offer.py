"""What Outcomes offers after a rejection, from the flow's state (rebound.flow.offer)."""

from rebound import flow


def test_the_offer_follows_the_flow():
    fresh = flow.start(7)
    assert flow.offer(fresh, 7) == "Start with a check-in"
    assert flow.offer(fresh, 8) is None  # about another application
    assert flow.offer(fresh, None) is None  # none chosen
    assert flow.offer(None, 7) is None  # no flow (closed)
    partway = flow.complete(flow.start(7), "checkin")
    assert flow.offer(partway, 7) == "Go on: look after yourself"
    done = flow.start(7)
    for step in flow.STEP_IDS:
        flow.skip(done, step)
    assert flow.finished(done) and flow.offer(done, 7) is None
    finished_at_last_step = {"application_id": 7, "step": "next_step", "status": dict.fromkeys(flow.STEP_IDS, "done")}
    assert flow.offer(finished_at_last_step, 7) is None
    assert finished_at_last_step["step"] == "next_step"  # the caller's state is not changed


def test_an_outcomes_minimal_state_is_offered():
    assert flow.offer({"application_id": 3}, 3) == "Start with a check-in"
