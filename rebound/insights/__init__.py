"""Insights: the patterns behind the search (Progress page, `rebound stats`).

rules.py       funnels, Sankey, rates, trends and sentences over small frames (pure pandas)
summary.py     stats(store): the summary `rebound stats --json` prints
repository.py  InsightsRepository (store.insights): the aggregated, user-scoped reads

The rules' public names are read from here (`from rebound import insights; insights.funnel(...)`),
like every area's; they are loaded on first use, because they import pandas and the store (which
imports rebound.insights.repository, so this package) must not.
"""

import importlib


def __getattr__(name: str) -> object:
    if not name.startswith("__"):
        rules = importlib.import_module("rebound.insights.rules")
        if hasattr(rules, name):
            return getattr(rules, name)
    raise AttributeError(f"module 'rebound.insights' has no attribute {name!r}")
