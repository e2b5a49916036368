"""Benchmarks: run from the checkout, e.g. `python -m benchmarks.bench`; not part of the installed package."""
