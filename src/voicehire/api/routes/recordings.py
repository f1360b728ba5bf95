"""An interview's stored files: its recording (streamed with Range support for seeking,
or a redirect to a presigned URL of the bucket) and, with TRANSCRIPT_BUCKET, presigned
URLs of everything stored for it (transcripts, reports, recording)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel, Field

from voicehire.api import services
from voicehire.api.deps import AdminDep, SessionDep, StateDep
from voicehire.api.errors import ApiError
from voicehire.api.schemas import ID_PATTERN
from voicehire.settings import Settings
from voicehire.storage.objects import (
    REPORTS,
    TRANSCRIPTS,
    ObjectStoreError,
    object_store,
    recording_key,
    recording_path,
    safe_file_name,
)

router = APIRouter(prefix="/api/interviews", tags=["recordings"])
InterviewId = Annotated[str, Path(pattern=ID_PATTERN)]

FileKind = Literal["transcript", "report", "recording"]


class FileLink(BaseModel):
    kind: FileKind
    name: str
    url: str = Field(description="Presigned GET URL (Range requests work on it)")
    expires_in: int = Field(description="Seconds the URL stays valid")


class RecordingLink(BaseModel):
    url: str = Field(description="Where the Ogg/Opus recording plays from")
    stored_in: Literal["bucket", "local"]
    expires_in: int | None = Field(description="Seconds a presigned URL stays valid")


def _unavailable(exc: ObjectStoreError) -> ApiError:
    return ApiError(503, f"the object store is unreachable: {exc}; try again shortly")


async def _recording_in_bucket(settings: Settings, interview_id: str) -> bool:
    objects = object_store(settings)
    if objects is None:
        return False
    try:
        return await objects.exists(recording_key(interview_id))
    except ObjectStoreError as exc:
        raise _unavailable(exc) from None


def _no_recording(interview_id: str) -> ApiError:
    return ApiError(
        404,
        f"interview {interview_id!r} has no recording (recorded only when its metadata "
        "has enableRecording: true, and stored once the interview has ended)",
    )


@router.get(
    "/{interview_id}/recording",
    response_class=FileResponse,
    response_model=None,
    responses={
        200: {"content": {"audio/ogg": {}}, "description": "The recording (Ogg/Opus)"},
        206: {"content": {"audio/ogg": {}}, "description": "The requested byte range"},
        307: {"description": "Redirect to a presigned URL of the bucket"},
    },
)
async def get_recording(
    interview_id: InterviewId, state: StateDep, session: SessionDep, _: AdminDep
) -> FileResponse | RedirectResponse:
    """The interview's audio, both sides (candidate left, interviewer right), as Ogg/Opus;
    send `Range: bytes=N-` to seek."""
    await services.load_interview(session, interview_id)
    path = recording_path(state.settings, interview_id)
    if path.is_file():
        return FileResponse(path, media_type="audio/ogg", filename=path.name)
    if await _recording_in_bucket(state.settings, interview_id):
        objects = object_store(state.settings)
        assert objects is not None
        url = await objects.presigned_url(recording_key(interview_id), filename=path.name)
        return RedirectResponse(url, status_code=307)
    raise _no_recording(interview_id)


@router.get("/{interview_id}/recording/url", response_model=RecordingLink)
async def get_recording_url(
    interview_id: InterviewId, request: Request, state: StateDep, session: SessionDep, _: AdminDep
) -> RecordingLink:
    """A link for a player: a presigned URL when the recording is in the bucket (it
    needs no credentials), else this API's streaming endpoint."""
    await services.load_interview(session, interview_id)
    settings = state.settings
    if await _recording_in_bucket(settings, interview_id):
        objects = object_store(settings)
        assert objects is not None
        name = recording_path(settings, interview_id).name
        url = await objects.presigned_url(recording_key(interview_id), filename=name)
        return RecordingLink(url=url, stored_in="bucket", expires_in=settings.s3_presign_ttl)
    if recording_path(settings, interview_id).is_file():
        base = (settings.vh_public_url or str(request.base_url)).rstrip("/")
        url = f"{base}/api/interviews/{interview_id}/recording"
        return RecordingLink(url=url, stored_in="local", expires_in=None)
    raise _no_recording(interview_id)


@router.get("/{interview_id}/files", response_model=list[FileLink])
async def list_files(
    interview_id: InterviewId, state: StateDep, session: SessionDep, _: AdminDep
) -> list[FileLink]:
    """Presigned URLs of every object stored for the interview in TRANSCRIPT_BUCKET."""
    await services.load_interview(session, interview_id)
    settings = state.settings
    objects = object_store(settings)
    if objects is None:
        raise ApiError(
            409,
            "no object store is configured: set TRANSCRIPT_BUCKET (and S3_ENDPOINT_URL for "
            "a non-AWS store); transcripts are served by /api/interviews/{id}/transcripts",
        )
    stem = f"interview_{safe_file_name(interview_id)}"
    prefixes: list[tuple[FileKind, str]] = [
        ("transcript", f"{TRANSCRIPTS}/{stem}_stage_"),
        ("transcript", f"{TRANSCRIPTS}/{stem}_full_"),
        ("report", f"{REPORTS}/{stem}."),
        ("recording", recording_key(interview_id)),
    ]
    links: list[FileLink] = []
    try:
        for kind, prefix in prefixes:
            for key in await objects.keys(prefix):
                url = await objects.presigned_url(key)
                name = key.rsplit("/", 1)[-1]
                links.append(
                    FileLink(kind=kind, name=name, url=url, expires_in=settings.s3_presign_ttl)
                )
    except ObjectStoreError as exc:
        raise _unavailable(exc) from None
    return links
