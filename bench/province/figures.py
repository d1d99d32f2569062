"""The province scenario's measures."""

from __future__ import annotations

from bench.harness import Bench


def figures(bench: Bench):
    return []
