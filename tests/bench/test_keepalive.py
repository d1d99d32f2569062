"""The load benchmark's lean HTTP client reads answers as http.client does: by their length or
their chunks, several on one connection, and says so when the server closes mid-answer."""

import socket
import threading

import pytest

from bench.keepalive import AnswerError, KeepAliveConnection


def serve_once(answers: list[bytes]) -> tuple[int, list[tuple[bytes, bytes]]]:
    """A server on loopback that answers each request it reads with the next of ``answers``
    (the last one may be cut short: it then closes); its port, and the requests it received."""
    listener = socket.create_server(("127.0.0.1", 0))
    received = []

    def run():
        connection, _ = listener.accept()
        with connection, listener:
            buffer = b""
            for answer in answers:
                while b"\r\n\r\n" not in buffer:
                    buffer += connection.recv(65536)
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(buffer) < length:
                    buffer += connection.recv(65536)
                received.append((head, buffer[:length]))
                buffer = buffer[length:]
                connection.sendall(answer)

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1], received


def test_answers_by_length_and_by_chunks_on_one_connection():
    port, received = serve_once([
        b'HTTP/1.1 201 CREATED\r\nContent-Type: application/json\r\nETag: "4"\r\nContent-Length: 11\r\n\r\n{"id": 123}',
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n",
        b"HTTP/1.1 204 NO CONTENT\r\nServer-Timing: app;dur=1.5\r\n\r\n",
    ])
    connection = KeepAliveConnection("127.0.0.1", port, timeout=10)
    try:
        status, headers, body = connection.request("POST", "/api/v1/clients", b'{"a": 1}', {"Authorization": "Bearer x"})
        assert (status, headers["etag"], body) == (201, '"4"', b'{"id": 123}')
        assert connection.request("GET", "/api/v1/clients?page=2", None, {})[::2] == (200, b"hello world")
        status, headers, body = connection.request("DELETE", "/api/v1/clients/1", None, {})
        assert (status, headers["server-timing"], body) == (204, "app;dur=1.5", b"")
    finally:
        connection.close()
    head, body = received[0]
    assert head.startswith(b"POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"\r\nAuthorization: Bearer x\r\n" in head + b"\r\n" and body == b'{"a": 1}'


@pytest.mark.parametrize("answer", [b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\ncut short", b"", b"SSH-2.0\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n",
                                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"])
def test_an_answer_cut_short_or_not_http_is_an_error(answer):
    port, _received = serve_once([answer])
    connection = KeepAliveConnection("127.0.0.1", port, timeout=10)
    try:
        with pytest.raises(AnswerError):
            connection.request("GET", "/", None, {})
    finally:
        connection.close()
