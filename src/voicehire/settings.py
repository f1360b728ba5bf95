"""The one settings object. Every value comes from the environment (or `.env`).

Variable names follow the product brief (seed 000/001/003) so existing deployments keep
working; everything has a safe default so the embedded default needs no variables at all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(RuntimeError):
    """Raised with a readable message when the environment holds an invalid setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # --- LiveKit ---------------------------------------------------------------------
    livekit_url: str | None = Field(None, description="wss:// URL of the LiveKit server")
    livekit_api_key: str | None = None
    livekit_api_secret: SecretStr | None = None

    # --- Agent identity and dispatch ---------------------------------------------------
    agent_name: str = Field(
        "voicehire-interviewer", description="Explicit-dispatch name the worker registers"
    )
    agent_identity: str = Field(
        "interview-agent", description="Participant identity prefix of the agent in a room"
    )
    agent_session_timeout: int = Field(600, ge=10, description="Idle seconds before giving up")
    max_participants: int = Field(2, ge=2)
    agent_http_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="Worker health endpoint port (unset: 8081 in start, any free in dev; 0: any)",
    )
    agent_load_threshold: float | None = Field(
        None,
        gt=0.0,
        description="Worker load (0-1 of the CPU) above which it takes no new jobs "
        "(unset: 0.7 in start, no limit in dev; above 1: no limit)",
    )

    # --- Engines ------------------------------------------------------------------------
    llm_provider: Literal["auto", "openai", "policy"] = "auto"
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = Field(
        None, description="OpenAI-compatible endpoint (Ollama, vLLM, OpenRouter, Groq, Azure)"
    )
    llm_model: str = "gpt-4o-mini"
    llm_temperature: float = Field(0.4, ge=0.0, le=2.0)
    stt_provider: Literal["auto", "deepgram", "openai", "assemblyai", "local", "none"] = "auto"
    deepgram_api_key: SecretStr | None = None
    assemblyai_api_key: SecretStr | None = None
    stt_model: str | None = None
    tts_provider: Literal["auto", "openai", "cartesia", "local", "espeak", "none"] = "auto"
    cartesia_api_key: SecretStr | None = None
    tts_voice: str = "alloy"
    espeak_voice: str = "en-us"
    espeak_rate: int = Field(175, ge=80, le=450, description="espeak-ng words per minute")
    # offline speech (the `speech` extra): Whisper base in, a Piper voice out
    reconnect_grace: float = Field(
        120.0,
        gt=0,
        description="Seconds the browser transport waits for a dropped page to come back "
        "before the interview ends as abandoned",
    )
    local_stt_model: Literal["whisper-base"] = "whisper-base"
    local_stt_beam_size: int = Field(1, ge=1, le=10, description="1 = greedy (fastest)")
    local_stt_threads: int = Field(0, ge=0, description="CPU threads for Whisper; 0 = all")
    local_stt_prompt: str = Field(
        "", description="Words Whisper should expect (product and technology names)"
    )
    local_stt_silence: float = Field(
        0.55,
        ge=0.1,
        le=2.0,
        description="Seconds of silence that close an utterance for Whisper (its own VAD; "
        "the turn still ends by the end-of-turn model and the endpointing delays)",
    )
    local_tts_voice: Literal["en_US-joe-medium"] = "en_US-joe-medium"
    local_tts_speed: float = Field(1.0, gt=0.3, le=3.0)
    speech_model_dir: str = Field(
        "", description="Where packaged models are unpacked; empty = ~/.cache/voicehire/models"
    )
    # when the candidate's turn ends
    turn_detection: Literal["auto", "model", "vad"] = "auto"
    min_endpointing_delay: float = Field(0.5, ge=0.0, le=10.0)
    max_endpointing_delay: float = Field(3.0, ge=0.0, le=30.0)

    # --- Interview timing (seconds) --------------------------------------------------------
    max_interview_duration: int = Field(1800, ge=10)
    self_intro_timeout: float = Field(45, gt=0)
    past_experience_timeout: float = Field(60, gt=0)
    silence_timeout: float = Field(30, gt=0)

    # --- Gap-filling and briefing calls ------------------------------------------------------
    gap_filling_time_budget: float = Field(
        150, gt=0, description="Seconds a gap-filling call aims to take (2-3 minutes)"
    )
    field_spec_files: str = Field(
        "", description="Extra gap-filling field spec YAML files, comma-separated"
    )
    candidate_dir: Path = Field(
        Path("candidates"),
        description="Where gap-filling calls save candidate records when no API is configured",
    )

    # --- Transcripts ------------------------------------------------------------------------
    transcript_dir: Path = Path("transcripts")
    transcript_bucket: str | None = None
    transcript_write_attempts: int = Field(3, ge=1, le=20)
    transcript_retry_delay: float = Field(2.0, ge=0)
    outbox_dir: Path = Field(
        Path("outbox"),
        description="Where the end of a session (status, transcript, result) waits until stored",
    )

    # --- Notices on the candidate page ---------------------------------------------------------
    ai_notice_text: str | None = Field(
        None,
        description="Replaces the built-in notice that an AI conducts and scores the interview",
    )
    candidate_notice_text: str | None = Field(
        None, description="The organisation's own notice (privacy, data use) on the consent page"
    )
    accommodation_contact: str | None = Field(
        None, description="Where candidates can also ask for an accommodation (e.g. an email)"
    )

    # --- Retention (this deployment's policy; unset: kept until deleted) ----------------------
    retention_transcript_days: int | None = Field(
        None, ge=1, description="Days transcripts are kept after an interview ends"
    )
    retention_report_days: int | None = Field(
        None, ge=1, description="Days evaluation results and reports are kept"
    )
    retention_recording_days: int | None = Field(None, ge=1, description="Days recordings are kept")
    retention_purge_interval: float = Field(
        3600.0, gt=0, description="Seconds between retention purges while the API runs"
    )

    # --- Object storage (any S3-compatible store; on when TRANSCRIPT_BUCKET is set) ----------
    transcript_bucket_prefix: str = Field("", description="Key prefix inside the bucket")
    s3_endpoint_url: str | None = Field(None, description="Non-AWS store (MinIO, R2, ...)")
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_presign_ttl: int = Field(900, ge=60, le=604800, description="Presigned URL lifetime (s)")
    storage_spool_dir: Path = Field(
        Path("storage-spool"), description="Uploads wait here while the store is unreachable"
    )
    # --- Recording (enableRecording in the session metadata) ----------------------------------
    recording_dir: Path = Field(Path("recordings"), description="Local Ogg/Opus recordings")
    recording_backend: Literal["agent", "egress"] = Field(
        "agent",
        description="Who records a LiveKit room: the agent's recorder, or LiveKit Egress "
        "(uploads to TRANSCRIPT_BUCKET; falls back to the agent when egress is refused)",
    )
    recording_egress_timeout: float = Field(
        5.0,
        gt=0,
        le=60,
        description="Seconds the worker waits for LiveKit to start an egress before the "
        "agent records instead (the session starts only after it)",
    )
    recording_notice: str = Field(
        "This interview is recorded (your voice and the interviewer's) and kept with its "
        "transcript for the hiring team.",
        description="Shown on the candidate's consent page when the interview is recorded",
    )

    # --- Evaluation ------------------------------------------------------------------------------
    report_dir: Path = Field(Path("reports"), description="Where interview reports are written")
    eval_llm_timeout: float = Field(30.0, gt=0, description="Seconds per LLM-judge request")
    eval_llm_attempts: int = Field(3, ge=1, le=10, description="LLM-judge attempts per answer")

    # --- Control-plane API and M2M -------------------------------------------------------------
    vh_api_base_url: str | None = None
    vh_m2m_client_id: str | None = None
    vh_m2m_client_secret: SecretStr | None = None
    database_url: str = Field(
        "sqlite+aiosqlite:///./voicehire.db",
        validation_alias=AliasChoices("DATABASE_URL", "VH_DATABASE_URL"),
    )
    redis_url: str | None = None
    vh_admin_token: SecretStr | None = Field(
        None, description="Admin credential for management API"
    )
    vh_admin_token_file: Path = Field(
        Path("admin-token"),
        description="Where `voicehire serve` writes the admin token it generates (mode 0600) "
        "when it listens beyond this machine without VH_ADMIN_TOKEN; never printed",
    )
    vh_jwt_secret: SecretStr | None = Field(None, description="Signing key for M2M JWTs")
    # email invites and reminders (POST /api/interviews/{id}/invite); off without a host
    smtp_host: str | None = None
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "VoiceHire <noreply@localhost>"
    invite_ttl_hours: float = Field(72.0, gt=0, description="how long an emailed invite link works")
    # an interview never started becomes a no-show this many hours after its emailed link
    # expired (a resend until then gives a fresh expiry) or after its creation (0 = never)
    no_show_after_hours: float = Field(
        168.0,
        ge=0,
        description="Hours after an unstarted interview's emailed link expired (or after its "
        "creation, without an invite) that it becomes a no-show; 0: never",
    )
    no_show_check_interval: float = Field(
        300.0, gt=0, description="Seconds between no-show checks while the API runs"
    )
    vh_public_url: str | None = Field(
        None,
        description="Public base URL of invite links (e.g. https://hire.example.com); "
        "when unset, the address the request came to",
    )
    vh_api_host: str = "127.0.0.1"
    vh_api_port: int = Field(8000, ge=1, le=65535)
    vh_m2m_token_ttl: int = Field(3600, ge=60, le=86400, description="M2M JWT lifetime (s)")
    vh_candidate_token_ttl: int = Field(
        900, ge=60, le=86400, description="Lifetime (s) of candidate LiveKit join tokens"
    )
    vh_token_rate_limit: int = Field(
        30, ge=0, description="POST /oauth/token requests per client IP per window; 0 = off"
    )
    vh_token_rate_window: float = Field(60.0, gt=0, description="Token rate-limit window (s)")
    vh_max_body_bytes: int = Field(
        5_000_000, ge=1024, description="Larger request bodies are refused with 413"
    )

    # --- Outgoing webhooks (signed; delivered from a durable outbox) -----------------------------
    webhook_urls: str = Field(
        "", description="Endpoints receiving every event, comma-separated (more via the API)"
    )
    webhook_secret: str | None = Field(
        None, description="HMAC-SHA256 key signing deliveries to WEBHOOK_URLS"
    )
    webhook_max_attempts: int = Field(10, ge=1, le=50, description="Attempts per delivery")
    webhook_retry_base: float = Field(
        5.0, gt=0, le=3600, description="Seconds before the first retry; doubles each time"
    )
    webhook_retry_max: float = Field(3600.0, gt=0, description="Longest wait between attempts")
    webhook_timeout: float = Field(10.0, gt=0, le=120, description="Seconds per attempt")
    webhook_poll_interval: float = Field(
        2.0, gt=0, le=300, description="How often the dispatcher looks for due deliveries"
    )

    # --- Logging ---------------------------------------------------------------------------------
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "console"
    log_file: Path | None = Field(None, description="Also write JSON logs to this file")

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v: object) -> object:
        return v.upper() if isinstance(v, str) else v

    @field_validator(
        "agent_http_port",
        "agent_load_threshold",
        "retention_transcript_days",
        "retention_report_days",
        "retention_recording_days",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("livekit_url")
    @classmethod
    def _ws_url(cls, v: str | None) -> str | None:
        if v and not v.startswith(("ws://", "wss://", "http://", "https://")):
            raise ValueError("must start with ws://, wss://, http:// or https://")
        return v

    @model_validator(mode="after")
    def _livekit_complete(self) -> Settings:
        given = [self.livekit_url, self.livekit_api_key, self.livekit_api_secret]
        if any(given) and not all(given):
            raise ValueError(
                "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set together"
            )
        m2m = [self.vh_m2m_client_id, self.vh_m2m_client_secret]
        if any(m2m) and not all(m2m):
            raise ValueError("VH_M2M_CLIENT_ID and VH_M2M_CLIENT_SECRET must be set together")
        return self

    @model_validator(mode="after")
    def _webhooks_signed(self) -> Settings:
        if self.webhook_url_list and not self.webhook_secret:
            raise ValueError(
                "WEBHOOK_URLS needs WEBHOOK_SECRET (the key deliveries are signed with)"
            )
        for url in self.webhook_url_list:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"WEBHOOK_URLS: {url!r} must start with http:// or https://")
        return self

    @property
    def webhook_url_list(self) -> list[str]:
        return [u.strip() for u in self.webhook_urls.split(",") if u.strip()]

    @property
    def secrets(self) -> list[str]:
        """Every secret value set (to prove none reaches a log or a response)."""
        values = [getattr(self, name) for name, f in type(self).model_fields.items()]
        return [v.get_secret_value() for v in values if isinstance(v, SecretStr) and v]

    @property
    def field_spec_paths(self) -> list[Path]:
        return [Path(p.strip()) for p in self.field_spec_files.split(",") if p.strip()]

    @property
    def livekit_configured(self) -> bool:
        return bool(self.livekit_url and self.livekit_api_key and self.livekit_api_secret)

    @property
    def livekit_http_url(self) -> str | None:
        if not self.livekit_url:
            return None
        return self.livekit_url.replace("wss://", "https://", 1).replace("ws://", "http://", 1)


_SECRET_TYPES = (SecretStr, SecretStr | None)


def reveal(value: SecretStr | None) -> str | None:
    """The plain text of an optional secret setting (only where it is handed to a client)."""
    return value.get_secret_value() if value else None


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, turning pydantic errors into one clear message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "settings"
            # Echo what was given only for a plain field: a model-level error's input is
            # every setting, secrets included.
            field = Settings.model_fields.get(str(err["loc"][0])) if err["loc"] else None
            shown = field is not None and field.annotation not in _SECRET_TYPES
            got = f" (got {err.get('input')!r})" if shown else ""
            lines.append(f"  {loc.upper()}: {err['msg']}{got}")
        raise SettingsError("Invalid VoiceHire settings:\n" + "\n".join(lines)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
