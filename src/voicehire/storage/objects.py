"""Object storage: transcripts, reports and recordings in any S3-compatible store.

On when ``TRANSCRIPT_BUCKET`` is set (``S3_ENDPOINT_URL`` for MinIO, R2 and the like;
``S3_ACCESS_KEY_ID``/``S3_SECRET_ACCESS_KEY``, else boto's default credential chain).

Nothing handed to the store is lost when the store is down: an upload that fails (after
its attempts) is written to the local spool (``STORAGE_SPOOL_DIR``, fsynced) and a
background task uploads the spool with backoff until the store is back; a later process
picks up whatever an earlier one left there (:meth:`ObjectStore.drain`,
``voicehire storage drain``). Transcripts keep their local file as well
(:class:`ObjectTranscriptStore`): stage documents are uploaded once in the background
(the writer never waits for them), the full transcript with ``TRANSCRIPT_WRITE_ATTEMPTS``
tries ``TRANSCRIPT_RETRY_DELAY`` apart before it is spooled.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import mimetypes
import os
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from voicehire.settings import Settings
from voicehire.storage.transcripts import LocalTranscriptStore, TranscriptStore

logger = logging.getLogger(__name__)

TRANSCRIPTS = "transcripts"
REPORTS = "reports"
RECORDINGS = "recordings"
# Backoff of the background spool upload (seconds): doubling from the first to the cap.
DRAIN_FIRST_DELAY = 1.0
DRAIN_MAX_DELAY = 60.0


class ObjectStoreError(RuntimeError):
    """The object store refused or could not be reached."""


@dataclass(frozen=True)
class ObjectStoreConfig:
    bucket: str
    prefix: str = ""
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key_id: str | None = None
    secret_access_key: SecretStr | None = None
    spool_dir: Path = Path("storage-spool")
    attempts: int = 3
    retry_delay: float = 2.0
    presign_ttl: int = 900
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> ObjectStoreConfig | None:
        if not settings.transcript_bucket:
            return None
        return cls(
            bucket=settings.transcript_bucket,
            prefix=settings.transcript_bucket_prefix,
            endpoint_url=settings.s3_endpoint_url or None,
            region=settings.s3_region,
            access_key_id=settings.s3_access_key_id or None,
            secret_access_key=settings.s3_secret_access_key,
            spool_dir=Path(settings.storage_spool_dir),
            attempts=settings.transcript_write_attempts,
            retry_delay=settings.transcript_retry_delay,
            presign_ttl=settings.s3_presign_ttl,
        )


@dataclass(frozen=True)
class StoredObject:
    key: str
    uri: str
    spooled: bool  # waiting in the local spool for the store to come back


def _safe_key(key: str) -> str:
    parts = [p for p in key.replace("\\", "/").split("/") if p]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"invalid object key {key!r}")
    return "/".join(parts)


def content_type_of(key: str) -> str:
    if key.endswith(".ogg"):
        return "audio/ogg"
    return mimetypes.guess_type(key)[0] or "application/octet-stream"


class ObjectStore:
    """One bucket (and key prefix) of an S3-compatible store, with a local spool."""

    def __init__(self, config: ObjectStoreConfig) -> None:
        import aioboto3  # imported only when a bucket is configured (boto is slow to load)

        self.config = config
        self._session = aioboto3.Session()
        self._drainer: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None

    # --- addresses -----------------------------------------------------------------------
    def full_key(self, key: str) -> str:
        return self.config.prefix + _safe_key(key)

    def uri(self, key: str) -> str:
        return f"s3://{self.config.bucket}/{self.full_key(key)}"

    def describe(self) -> str:
        where = f" at {self.config.endpoint_url}" if self.config.endpoint_url else ""
        return f"s3://{self.config.bucket}/{self.config.prefix}{where}"

    @contextlib.asynccontextmanager
    async def client(self) -> AsyncIterator[Any]:
        from botocore.config import Config

        c = self.config
        secret = c.secret_access_key.get_secret_value() if c.secret_access_key else None
        botocore_config = Config(
            connect_timeout=c.timeout,
            read_timeout=c.timeout,
            retries={"max_attempts": 1, "mode": "standard"},
            s3={"addressing_style": "path"} if c.endpoint_url else None,
            signature_version="s3v4",
        )
        async with self._session.client(
            "s3",
            endpoint_url=c.endpoint_url,
            region_name=c.region,
            aws_access_key_id=c.access_key_id,
            aws_secret_access_key=secret,
            config=botocore_config,
        ) as s3:
            yield s3

    # --- plain operations (raise ObjectStoreError) ------------------------------------------
    async def put(self, key: str, data: bytes, content_type: str | None = None) -> str:
        try:
            async with self.client() as s3:
                await s3.put_object(
                    Bucket=self.config.bucket,
                    Key=self.full_key(key),
                    Body=data,
                    ContentType=content_type or content_type_of(key),
                )
        except Exception as exc:
            raise ObjectStoreError(f"could not upload {self.uri(key)}: {exc!r}") from exc
        return self.uri(key)

    async def get(self, key: str) -> bytes:
        try:
            async with self.client() as s3:
                response = await s3.get_object(Bucket=self.config.bucket, Key=self.full_key(key))
                async with response["Body"] as body:
                    data: bytes = await body.read()
                    return data
        except Exception as exc:
            raise ObjectStoreError(f"could not read {self.uri(key)}: {exc!r}") from exc

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            async with self.client() as s3:
                await s3.head_object(Bucket=self.config.bucket, Key=self.full_key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise ObjectStoreError(f"could not look up {self.uri(key)}: {exc!r}") from exc
        except Exception as exc:
            raise ObjectStoreError(f"could not look up {self.uri(key)}: {exc!r}") from exc

    async def keys(self, prefix: str = "") -> list[str]:
        """Keys (without the store's prefix) that start with ``prefix``."""
        keys: list[str] = []
        full = self.config.prefix + prefix
        try:
            async with self.client() as s3:
                paginator = s3.get_paginator("list_objects_v2")
                async for page in paginator.paginate(Bucket=self.config.bucket, Prefix=full):
                    for item in page.get("Contents", []):
                        keys.append(str(item["Key"])[len(self.config.prefix) :])
        except Exception as exc:
            raise ObjectStoreError(f"could not list {self.describe()}{prefix}: {exc!r}") from exc
        return sorted(keys)

    async def presigned_url(
        self, key: str, *, expires: int | None = None, filename: str | None = None
    ) -> str:
        """A time-limited GET URL for ``key`` (the store answers Range requests itself)."""
        params: dict[str, str] = {"Bucket": self.config.bucket, "Key": self.full_key(key)}
        if filename:
            params["ResponseContentDisposition"] = f'inline; filename="{filename}"'
        async with self.client() as s3:
            url: str = await s3.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires or self.config.presign_ttl
            )
        return url

    async def ensure_bucket(self) -> None:
        """Create the bucket when it does not exist (local stores; AWS buckets are made
        by their owner)."""
        from botocore.exceptions import ClientError

        try:
            async with self.client() as s3:
                try:
                    await s3.head_bucket(Bucket=self.config.bucket)
                except ClientError:
                    await s3.create_bucket(Bucket=self.config.bucket)
        except Exception as exc:
            raise ObjectStoreError(f"could not create bucket {self.config.bucket}: {exc}") from exc

    # --- uploads that never lose data -------------------------------------------------------
    async def upload(
        self, key: str, data: bytes, *, content_type: str | None = None, attempts: int = 1
    ) -> StoredObject:
        """Upload with ``attempts`` tries; on failure spool it (uploaded later). Raises only
        when even the local spool cannot be written."""
        last: Exception | None = None
        for attempt in range(1, max(1, attempts) + 1):
            try:
                uri = await self.put(key, data, content_type)
                return StoredObject(key, uri, spooled=False)
            except ObjectStoreError as exc:
                last = exc
                logger.warning(
                    "object upload failed",
                    extra={"key": key, "attempt": attempt, "attempts": attempts, "error": str(exc)},
                )
                if attempt < attempts:
                    await asyncio.sleep(self.config.retry_delay)
        await asyncio.to_thread(self._spool_bytes, _safe_key(key), data)
        logger.warning(
            "object store unreachable; spooled for a later upload",
            extra={"key": key, "spool": str(self.config.spool_dir), "error": str(last)},
        )
        self.start_draining()
        return StoredObject(key, self.uri(key), spooled=True)

    async def upload_file(self, key: str, path: Path, *, attempts: int = 1) -> StoredObject:
        data = await asyncio.to_thread(Path(path).read_bytes)
        return await self.upload(key, data, attempts=attempts)

    def _spool_path(self, key: str) -> Path:
        return self.config.spool_dir / self.config.bucket / key

    def _spool_bytes(self, key: str, data: bytes) -> None:
        target = self._spool_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(target)

    def spooled(self) -> list[str]:
        """Keys waiting in the spool, oldest first."""
        root = self.config.spool_dir / self.config.bucket
        if not root.is_dir():
            return []
        files = [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".part")]
        files.sort(key=lambda p: p.stat().st_mtime)
        return [p.relative_to(root).as_posix() for p in files]

    async def drain(self) -> int:
        """Upload the spool, oldest first; stops at the first failure (raises
        :class:`ObjectStoreError`). Returns how many objects were uploaded."""
        uploaded = 0
        for key in self.spooled():
            path = self._spool_path(key)
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except FileNotFoundError:  # another drainer took it
                continue
            await self.put(key, data)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            uploaded += 1
            logger.info("spooled object uploaded", extra={"key": key})
        return uploaded

    def start_draining(self) -> None:
        """Upload the spool in the background, with backoff, until it is empty."""
        loop = asyncio.get_running_loop()
        if self._drainer is None or self._drainer.done() or self._drainer.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._drainer = loop.create_task(self._drain_loop(self._wake))
        elif self._wake is not None:
            self._wake.set()  # something new was spooled: try again now

    async def _drain_loop(self, wake: asyncio.Event) -> None:
        delay = DRAIN_FIRST_DELAY
        while self.spooled():
            try:
                await self.drain()
                delay = DRAIN_FIRST_DELAY
            except ObjectStoreError as exc:
                logger.info(
                    "object store still unreachable; retrying the spool",
                    extra={"in": delay, "waiting": len(self.spooled()), "error": str(exc)},
                )
                wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=delay)
                delay = min(delay * 2, DRAIN_MAX_DELAY)

    async def wait_drained(self, within: float) -> bool:
        """Wait up to ``within`` seconds for the background upload; True when the spool
        is empty (what remains is uploaded by the next process or ``storage drain``)."""
        if self._drainer is not None and not self._drainer.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._drainer), timeout=within)
        return not self.spooled()

    async def aclose(self) -> None:
        if self._drainer is not None and not self._drainer.done():
            self._drainer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drainer


_stores: dict[ObjectStoreConfig, ObjectStore] = {}


def object_store(settings: Settings) -> ObjectStore | None:
    """The process's store for these settings (None when TRANSCRIPT_BUCKET is unset)."""
    config = ObjectStoreConfig.from_settings(settings)
    if config is None:
        return None
    store = _stores.get(config)
    if store is None:
        store = _stores[config] = ObjectStore(config)
    return store


class ObjectTranscriptStore:
    """A transcript's local file (the writer retries it), then its object in the bucket:
    stage documents with one try, the full transcript with the configured attempts; what
    fails is spooled and uploaded when the store is back."""

    def __init__(self, local: LocalTranscriptStore, objects: ObjectStore) -> None:
        self.local = local
        self.objects = objects
        self.uploaded: list[StoredObject] = []

    def describe(self) -> str:
        return f"{self.local.describe()} + {self.objects.describe()}{TRANSCRIPTS}/"

    async def write(self, name: str, document: dict[str, Any]) -> str:
        where = await self.local.write(name, document)
        full = document.get("metadata", {}).get("kind") == "full"
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        stored = await self.objects.upload(
            f"{TRANSCRIPTS}/{name}",
            data,
            content_type="application/json",
            attempts=self.objects.config.attempts if full else 1,
        )
        self.uploaded.append(stored)
        logger.info(
            "transcript uploaded" if not stored.spooled else "transcript spooled",
            extra={"uri": stored.uri, "file": where},
        )
        return where


def transcript_store(settings: Settings) -> TranscriptStore:
    """TRANSCRIPT_DIR, and the bucket as well when TRANSCRIPT_BUCKET is set."""
    local = LocalTranscriptStore(Path(settings.transcript_dir))
    objects = object_store(settings)
    return local if objects is None else ObjectTranscriptStore(local, objects)


async def store_file(settings: Settings, key: str, path: Path) -> StoredObject | None:
    """Upload a local file (report, recording) under ``key`` when a bucket is configured;
    spooled when the store is down. None without a bucket."""
    objects = object_store(settings)
    if objects is None:
        return None
    stored = await objects.upload_file(key, path, attempts=objects.config.attempts)
    logger.info(
        "file uploaded" if not stored.spooled else "file spooled",
        extra={"uri": stored.uri, "file": str(path)},
    )
    return stored


def recording_key(interview_id: str) -> str:
    return f"{RECORDINGS}/{safe_file_name(interview_id)}.ogg"


def recording_path(settings: Settings, interview_id: str) -> Path:
    return Path(settings.recording_dir) / f"{safe_file_name(interview_id)}.ogg"


def safe_file_name(part: str) -> str:
    """As the transcript and report file names spell an interview id."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", part).strip("-") or "unknown"


def copy_file(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target
