"""Numbers about the search, computed from the store (no Streamlit)."""

from __future__ import annotations

from rebound.vocab import STATUSES


def stats(store) -> dict:
    """The summary printed by `rebound stats --json`."""
    by_status = {status: 0 for status in STATUSES}
    by_status.update(store.status_counts())
    weeks = store.weekly_outcomes()
    week_rows = [
        {"week": row.week.date().isoformat() if hasattr(row.week, "date") else str(row.week), "applications": int(row.applications), "responses": int(row.responses),
         "interviews": int(row.interviews), "rejections": int(row.rejections), "offers": int(row.offers)}
        for row in weeks.itertuples()
    ]
    result = {
        "applications": sum(by_status.values()),
        "by_status": by_status,
        "by_channel": store.channel_counts(),
        "weeks": week_rows,
    }
    import importlib

    for path in STATS_EXTENSIONS:
        module, name = path.split(":")
        getattr(importlib.import_module(module), name)(store, result)
    return result


# Other areas' summaries, as "module:function": fn(store, result) adds keys to result
# or fields to each result["weeks"] entry (e.g. per-week mood).
STATS_EXTENSIONS: list[str] = ["rebound.momentum:stats_extension", "rebound.wellbeing:stats_extension", "rebound.feedback:stats_extension"]
