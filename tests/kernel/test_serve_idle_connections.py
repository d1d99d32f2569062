"""``passerelle serve`` keeps answering while hundreds of clients hold idle connections open
(slow phones, a scanner, a slowloris): an idle connection waits without holding a thread."""

import socket
from contextlib import ExitStack

from tests.kernel.serving import get, running_serve

IDLE_CONNECTIONS = 300


def open_idle_connections(stack: ExitStack, port: int, count: int) -> int:
    opened = 0
    for _ in range(count):
        sock = stack.enter_context(socket.socket())
        sock.settimeout(5)
        try:
            sock.connect(("127.0.0.1", port))
        except OSError:
            break
        opened += 1
    return opened


def test_login_page_answers_while_hundreds_of_connections_are_idle(tmp_path):
    with running_serve(tmp_path / "instance", "--no-worker", "--threads", "4") as (base, _process, _log):
        port = int(base.rsplit(":", 1)[1])
        with ExitStack() as stack:
            assert open_idle_connections(stack, port, IDLE_CONNECTIONS) == IDLE_CONNECTIONS
            status, body = get(base + "/login", timeout=60)
    assert status == 200
    assert b'name="password"' in body
