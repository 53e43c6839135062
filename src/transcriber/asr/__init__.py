"""The Whisper engine: model catalog, media probing and decoding, transcription.

Framework-free (no FastAPI, no SQLAlchemy); faster-whisper and CTranslate2 are imported only when
a model is first loaded, so importing this package stays cheap.
"""

from transcriber.asr.audio import (
    EmptyMedia,
    MediaTooLong,
    MediaTooShort,
    NoAudioTrack,
    NotMediaFile,
    UndecodableAudio,
    iter_audio_windows,
    probe,
)
from transcriber.asr.catalog import (
    DEFAULT_MODEL,
    ModelEntry,
    ModelUnavailable,
    VerifyResult,
    install_model,
    list_models,
    resolve_model,
    verify_model,
)
from transcriber.asr.engine import InvalidOptions, WhisperEngine
from transcriber.asr.types import (
    MediaInfo,
    Segment,
    Task,
    TranscribeOptions,
    TranscriptDocument,
    Transcription,
    Word,
)

__all__ = [
    "DEFAULT_MODEL",
    "EmptyMedia",
    "InvalidOptions",
    "MediaInfo",
    "MediaTooLong",
    "MediaTooShort",
    "ModelEntry",
    "ModelUnavailable",
    "NoAudioTrack",
    "NotMediaFile",
    "Segment",
    "Task",
    "TranscribeOptions",
    "TranscriptDocument",
    "Transcription",
    "UndecodableAudio",
    "VerifyResult",
    "WhisperEngine",
    "Word",
    "install_model",
    "iter_audio_windows",
    "list_models",
    "probe",
    "resolve_model",
    "verify_model",
]
