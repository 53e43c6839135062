"""Whisper Transcriber: audio and video in, searchable and exportable transcripts out."""

__version__ = "0.1.0"
