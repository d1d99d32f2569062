"""A lean HTTP/1.1 keep-alive client for the benchmarks whose clients share the machine's cores with
the server they measure (``bench.concurrency``)."""

from __future__ import annotations

import socket


class AnswerError(OSError):
    """The server's answer could not be read (closed mid-way, or not HTTP/1.1 as expected)."""


class KeepAliveConnection:
    """One HTTP/1.1 keep-alive connection: a request goes out in one write, its answer is read by
    its Content-Length (or its chunks). ``http.client`` reads an answer's headers through the
    ``email`` package: 130–170 µs of CPU a request on this 2-core machine, against about 50 µs
    here, taken from the server measured on the same cores (``bench/README.md``, 2026-12-06)."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host = f"{host}:{port}".encode()
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def request(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """The status, the headers (names in lower case) and the body of the answer."""
        lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: " + self.host]
        lines += [f"{name}: {value}".encode("latin-1") for name, value in headers.items()]
        if body is not None:
            lines.append(b"Content-Length: %d" % len(body))
        self.sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + (body or b""))
        head = self._read_until(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise AnswerError(f"not an HTTP/1.1 answer: {status_line[:80]!r}")
        answer_headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            answer_headers[name.strip().lower()] = value.strip()
        try:
            if method == "HEAD" or parts[1] in ("204", "304"):
                payload = b""
            elif answer_headers.get("transfer-encoding", "").lower() == "chunked":
                payload = self._read_chunks()
            else:
                payload = self._read_exactly(int(answer_headers.get("content-length", "0")))
        except ValueError as error:  # a length or a chunk's size that is not a number
            raise AnswerError(f"an answer's length cannot be read: {error}") from None
        return int(parts[1]), answer_headers, payload

    def _receive(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise AnswerError("the server closed the connection")
        self.buffer += data

    def _read_until(self, end: bytes) -> bytes:
        while (index := self.buffer.find(end)) < 0:
            self._receive()
        found, self.buffer = self.buffer[:index], self.buffer[index + len(end):]
        return found

    def _read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._receive()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def _read_chunks(self) -> bytes:
        chunks = []
        while size := int(self._read_until(b"\r\n").split(b";")[0], 16):
            chunks.append(self._read_exactly(size))
            self._read_until(b"\r\n")
        self._read_until(b"\r\n")  # no trailers are sent to the bench
        return b"".join(chunks)
