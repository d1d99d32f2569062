"""Benchmarks: `python -m bench` (or `make bench`) builds its own data with a seeded generator and
prints each figure beside its target. See bench/README.md."""
