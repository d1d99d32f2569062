"""A real S3-compatible server for tests: moto's server mode on a free local port.

``s3_server`` (session scope) starts it once and creates a bucket; its ``settings`` are the
``STORAGE_S3_*`` settings an app (or a ``passerelle serve`` process) needs to keep its files there.
``stopped()`` stops it for a moment, to see what users get when object storage does not answer.
"""

from __future__ import annotations

import contextlib
import secrets
import socket
from dataclasses import dataclass, field

import pytest

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class S3Server:
    """A running moto server and the bucket made for the test session."""

    port: int
    bucket: str
    prefix: str = "passerelle/"
    _server: object = field(default=None, repr=False)

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings(self) -> dict:
        """The settings that send an app's files to this server's bucket."""
        return {
            "STORAGE_S3_BUCKET": self.bucket,
            "STORAGE_S3_ENDPOINT_URL": self.endpoint_url,
            "STORAGE_S3_REGION": REGION,
            "STORAGE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "STORAGE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "STORAGE_S3_PREFIX": self.prefix,
        }

    def client(self):
        """A boto3 client of this server, to look at what the app stored."""
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)

    def keys(self) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket)
        return [item["Key"] for item in listing.get("Contents", [])]

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    @contextlib.contextmanager
    def stopped(self):
        """The server is down inside the block (moto keeps its buckets in memory: they come back)."""
        self.stop()
        try:
            yield self
        finally:
            self.start()


def start_s3_server() -> S3Server:
    server = S3Server(port=free_port(), bucket=f"passerelle-test-{secrets.token_hex(4)}")
    server.start()
    server.client().create_bucket(Bucket=server.bucket)
    return server


@pytest.fixture(scope="session")
def s3_server():
    """A local S3 server with an empty bucket, for the whole session (``.settings`` for an app)."""
    server = start_s3_server()
    yield server
    server.stop()
