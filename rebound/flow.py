"""The rejection flow as a small state machine (no Streamlit).

The state is a plain dict so it can live in `st.session_state["rejection_flow"]`:
the Outcomes page starts it with {"application_id": id}; everything else is filled
in here. Every step can be done or skipped, in any order; nothing is forced.
"""

from __future__ import annotations

from dataclasses import dataclass

FLOW_KEY = "rejection_flow"


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    icon: str
    blurb: str


STEPS: tuple[Step, ...] = (
    Step("checkin", "Check in", "💬", "Name how you feel. There are no wrong answers."),
    Step("coping", "Look after yourself", "🌿", "Plan or log something that restores you."),
    Step("reflection", "Reflect", "📝", "What went well, what to practise, what was never yours to control."),
    Step("feedback", "Ask for feedback", "✉️", "A short, specific question to the employer often gets an answer."),
    Step("next_step", "One small next step", "👣", "Something small and kind for this week — not about the search."),
)
STEP_IDS = tuple(s.id for s in STEPS)
DONE, SKIPPED = "done", "skipped"


def start(application_id: int | None = None) -> dict:
    return {"application_id": application_id, "step": STEP_IDS[0], "status": {}}


def normalize(state: dict | None) -> dict | None:
    """Fill in what the Outcomes page leaves out ({"application_id": id} is enough)."""
    if not isinstance(state, dict):
        return None
    state.setdefault("application_id", None)
    state.setdefault("status", {})
    if state.get("step") not in STEP_IDS and state.get("step") != "finished":
        state["step"] = next((s for s in STEP_IDS if s not in state["status"]), "finished")
    return state


def current(state: dict) -> str:
    return state["step"]


def step_info(step_id: str) -> Step:
    return next(s for s in STEPS if s.id == step_id)


def _advance(state: dict) -> None:
    """Go to the next step not yet done or skipped, after the current one (wrapping)."""
    order = list(STEP_IDS)
    here = order.index(state["step"]) if state["step"] in order else -1
    for offset in range(1, len(order) + 1):
        candidate = order[(here + offset) % len(order)]
        if candidate not in state["status"]:
            state["step"] = candidate
            return
    state["step"] = "finished"


def complete(state: dict, step_id: str, **results: object) -> dict:
    """Mark a step done (with ids of what was saved, e.g. checkin_id=…) and move on."""
    state["status"][step_id] = DONE
    state.update(results)
    if state["step"] == step_id:
        _advance(state)
    return state


def skip(state: dict, step_id: str) -> dict:
    state["status"].setdefault(step_id, SKIPPED)
    if state["step"] == step_id:
        _advance(state)
    return state


def go_to(state: dict, step_id: str) -> dict:
    if step_id in STEP_IDS:
        state["step"] = step_id
    return state


def back(state: dict) -> dict:
    order = list(STEP_IDS)
    here = order.index(state["step"]) if state["step"] in order else len(order)
    state["step"] = order[max(0, here - 1)]
    return state


def progress(state: dict) -> float:
    """Share of the steps done or skipped (0..1)."""
    return sum(1 for s in STEP_IDS if s in state["status"]) / len(STEP_IDS)


def finished(state: dict) -> bool:
    return state["step"] == "finished" or all(s in state["status"] for s in STEP_IDS)


def position(state: dict) -> int:
    """1-based number of the current step (len(STEPS) when finished)."""
    return STEP_IDS.index(state["step"]) + 1 if state["step"] in STEP_IDS else len(STEPS)


def offer(state: dict | None, application_id: int | None) -> str | None:
    """What Outcomes offers right after a rejection of `application_id` was logged, given the flow's
    state as kept: 'Start with a check-in' while no step is done, 'Go on: <the step>' partway, and
    nothing once the flow is finished, closed or about another application."""
    if not isinstance(state, dict) or application_id is None:
        return None
    state = normalize(dict(state))  # a copy: the caller's state is not filled in
    if state is None or state.get("application_id") != application_id or finished(state):
        return None
    if not state["status"]:
        return "Start with a check-in"
    return f"Go on: {step_info(state['step']).title.lower()}"
