"""One source of truth for the outcome vocabularies."""

from __future__ import annotations

CHANNELS = [
    "job board",
    "company site",
    "referral",
    "networking",
    "recruiter",
    "informational interview",
    "other",
]

# The stages an application moves through, in funnel order.
PROGRESS_STAGES = ["applied", "screen", "interview", "final", "offer"]
CLOSED_STATUSES = ["accepted", "rejected", "withdrawn", "ghosted"]
STATUSES = PROGRESS_STAGES + CLOSED_STATUSES
OPEN_STATUSES = PROGRESS_STAGES  # still waiting on something

# Event kinds that change the status, and the ones that only mark the timeline.
STATUS_EVENTS = ["screen", "interview", "final", "offer", "accepted", "rejected", "withdrawn", "ghosted"]
MARKER_EVENTS = ["followed_up", "reopened"]
EVENT_KINDS = STATUS_EVENTS + MARKER_EVENTS
# An employer answered in some way.
RESPONSE_EVENTS = ["screen", "interview", "final", "offer", "rejected"]

EVENT_LABELS = {
    "applied": "Applied",
    "screen": "Screen",
    "interview": "Interview",
    "final": "Final round",
    "offer": "Offer",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "ghosted": "Ghosted",
    "reopened": "Reopened",
    "followed_up": "Followed up",
}

STATUS_ICONS = {
    "applied": "📨",
    "screen": "📞",
    "interview": "🗣️",
    "final": "🏁",
    "offer": "🎉",
    "accepted": "🤝",
    "rejected": "🌧️",
    "withdrawn": "↩️",
    "ghosted": "👻",
}

# Stages at which a rejection can come.
REJECTION_STAGES = ["applied", "screen", "interview", "final", "offer"]

DEFAULT_SETTINGS = {
    "follow_up_after_days": "7",
    "ghost_after_days": "21",
}
