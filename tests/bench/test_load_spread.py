"""The load scenario says when its p95 comes from the workers' uneven shares or from the machine."""

from bench.concurrency import Tally, spread_line


def test_the_clients_medians_and_the_requests_of_each_second_are_reported():
    fast = Tally(latencies_ms=[10, 11, 12], ended_at=[0.5, 1.5, 2.5])
    slow = Tally(latencies_ms=[30, 31, 90], ended_at=[1.6, 2.6, 3.6])
    line = spread_line([fast, slow])
    assert "each client's median latency from 11 to 31 ms" in line
    # seconds 0..3 hold 1, 2, 2, 1 answers; the first and last (partial) ones are left out
    assert "requests answered each second from 2 to 2 (median 2)" in line


def test_a_run_too_short_for_whole_seconds_reports_the_medians_alone():
    line = spread_line([Tally(latencies_ms=[5], ended_at=[0.1]), Tally(latencies_ms=[7], ended_at=[0.2])])
    assert line == "# load: each client's median latency from 5 to 7 ms"
