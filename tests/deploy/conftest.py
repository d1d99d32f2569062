"""The multi-server test's cluster (PostgreSQL runs only), and its processes' logs shown with any
failure of a test that used it."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.deploy.cluster import redis_running, start_cluster


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    session_url = request.config.getoption("--database-url")
    if not session_url or not session_url.startswith("postgresql"):
        pytest.skip("several servers share one PostgreSQL: this test runs in the PostgreSQL run only "
                    "(--database-url postgresql://…); SQLite is one machine's file")
    if not redis_running():
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (apt-get install redis-server)")
    storage = request.getfixturevalue("cluster_storage")
    with ExitStack() as stack:
        try:
            started = start_cluster(stack, tmp_path_factory.mktemp("cluster"), session_url, storage)
        except AssertionError as error:  # a process that did not start: its log says why
            pytest.fail(str(error))
        yield started


@pytest.fixture(scope="module")
def cluster_storage(request):
    """The object storage settings every server and worker shares: those of the testing kit's
    local S3 server (``s3_server``), or none (each machine's instance folder) without it."""
    try:
        server = request.getfixturevalue("s3_server")
    except pytest.FixtureLookupError:
        return {}
    settings = dict(getattr(server, "settings", server))
    return {name: str(value) for name, value in settings.items() if name.isupper() and value is not None}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    cluster = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and cluster is not None:
        report.sections.append(("processes of the cluster", cluster.logs()))
