"""Files in an S3 bucket (Amazon S3 or any S3-compatible service: MinIO, Ceph, Garage…), through
boto3. Objects are written with server-side encryption when the service offers it; the bucket
must not be public (the application streams every file itself, after its permission checks)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import BinaryIO

from kernel.storage import StorageUnavailable, StoredFileMissing, checked_key

log = logging.getLogger(__name__)
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    @classmethod
    def from_settings(cls, config) -> S3Storage:
        import boto3
        from botocore.config import Config

        client = boto3.session.Session().client(
            "s3", endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL") or None,
            region_name=config.get("STORAGE_S3_REGION") or None,
            aws_access_key_id=config.get("STORAGE_S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 2, "mode": "standard"}),
        )
        return cls(client, config["STORAGE_S3_BUCKET"], config.get("STORAGE_S3_PREFIX") or "")

    def object_key(self, key: str) -> str:
        return self.prefix + checked_key(key)

    def save(self, key: str, data: bytes | BinaryIO) -> None:
        with answered(key):
            if isinstance(data, bytes | bytearray):
                self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=bytes(data))
            else:
                self.client.upload_fileobj(data, self.bucket, self.object_key(key))

    def open(self, key: str) -> BinaryIO:
        with answered(key):
            return self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"]

    def read(self, key: str) -> bytes:
        with answered(key):
            body = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"]
            try:
                return body.read()
            finally:
                body.close()

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except StoredFileMissing:
            return False
        return True

    def size(self, key: str) -> int:
        with answered(key):
            return int(self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))["ContentLength"])

    def delete(self, key: str) -> None:
        with answered(key):
            self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))


@contextlib.contextmanager
def answered(key: str) -> Iterator[None]:
    """botocore's errors as the storage's: a missing object, or a service that does not answer."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        if str(error.response.get("Error", {}).get("Code")) in MISSING_CODES:
            raise StoredFileMissing(key) from error
        log.error("object storage refused %s: %s", key, error)
        raise StorageUnavailable() from error
    except BotoCoreError as error:  # no connection, a timeout, no credentials
        log.error("object storage does not answer (%s): %s", key, error)
        raise StorageUnavailable() from error
