"""Rebound: a private self-coaching dashboard for a job search."""

__version__ = "0.1.0"
