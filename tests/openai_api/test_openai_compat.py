"""The official `openai` client, pointed at a real server, transcribes real speech."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
import srt
import webvtt
from openai.types.audio import Transcription, TranscriptionVerbose

from tests.support.auth import setup_admin
from tests.support.processes import free_port, running, transcriber_env, wait_until_healthy


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("openai")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = transcriber_env({"TRANSCRIBER_DATA_DIR": str(tmp / "data")})
    log = tmp / "server.log"
    with running(["serve", "--port", str(port)], env, log) as process:
        wait_until_healthy(base_url, process, log)
        with httpx.Client(base_url=base_url, timeout=120) as http:
            setup_admin(http)
            key = http.post("/api/v1/api-keys", json={"name": "openai"}).json()["secret"]
        yield base_url, key


@pytest.fixture(scope="module")
def client(server: tuple[str, str]) -> openai.OpenAI:
    base_url, key = server
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=key, timeout=300, max_retries=0)


def test_every_response_format(client: openai.OpenAI, speech_dir: Path) -> None:
    audio = speech_dir / "jfk.wav"
    as_json = client.audio.transcriptions.create(model="whisper-1", file=audio.open("rb"))
    assert isinstance(as_json, Transcription)
    assert "ask not what your country can do for you" in as_json.text.lower()

    text = client.audio.transcriptions.create(
        model="whisper-1", file=audio.open("rb"), response_format="text"
    )
    assert "ask what you can do for your country" in str(text).lower()

    subtitles = client.audio.transcriptions.create(
        model="tiny.en", file=audio.open("rb"), response_format="srt"
    )
    cues = list(srt.parse(str(subtitles)))
    assert cues and cues[-1].end.total_seconds() <= 11.1

    vtt = client.audio.transcriptions.create(
        model="whisper-1", file=audio.open("rb"), response_format="vtt"
    )
    assert webvtt.from_string(str(vtt)).captions

    verbose = client.audio.transcriptions.create(
        model="whisper-1",
        file=audio.open("rb"),
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
        language="en",
        prompt="Kennedy inaugural address.",
    )
    assert isinstance(verbose, TranscriptionVerbose)
    assert verbose.language == "english"
    assert verbose.duration == pytest.approx(11.0, abs=0.1)
    assert verbose.segments and verbose.words
    assert verbose.words[0].start <= verbose.words[-1].end <= 11.1
    TranscriptionVerbose.model_validate(verbose.model_dump())


def test_streaming_gives_deltas_then_the_text(client: openai.OpenAI, speech_dir: Path) -> None:
    stream = client.audio.transcriptions.create(
        model="whisper-1", file=(speech_dir / "jfk.wav").open("rb"), stream=True
    )
    events = list(stream)
    types = [event.type for event in events]
    assert types[-1] == "transcript.text.done"
    assert "transcript.text.delta" in types
    deltas = "".join(e.delta for e in events if e.type == "transcript.text.delta")
    assert deltas.strip() == events[-1].text.strip()  # type: ignore[union-attr]
    assert "ask not" in events[-1].text.lower()  # type: ignore[union-attr]


def test_translation_needs_a_multilingual_model(client: openai.OpenAI, speech_dir: Path) -> None:
    with pytest.raises(openai.BadRequestError, match="English only"):
        client.audio.translations.create(
            model="whisper-1", file=(speech_dir / "jfk.wav").open("rb")
        )
    translated = client.audio.translations.create(
        model="base", file=(speech_dir / "picovoice_de.wav").open("rb")
    )
    assert translated.text.strip()
    assert sum(c.isascii() for c in translated.text) / len(translated.text) > 0.95


def test_errors_come_as_the_clients_own_exceptions(
    server: tuple[str, str], client: openai.OpenAI, tmp_path: Path
) -> None:
    base_url, _ = server
    bad_key = openai.OpenAI(base_url=f"{base_url}/v1", api_key="wt_nope_nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad_key.models.list()
    fake = tmp_path / "notes.mp3"
    fake.write_text("this is not audio\n" * 40)
    with pytest.raises(openai.BadRequestError) as not_audio:
        client.audio.transcriptions.create(model="whisper-1", file=fake.open("rb"))
    assert not_audio.value.body and "audio" in str(not_audio.value.body).lower()
    with pytest.raises(openai.BadRequestError):
        client.audio.transcriptions.create(model="no-such-model", file=fake.open("rb"))
    missing = httpx.post(
        f"{base_url}/v1/audio/transcriptions",
        headers={"Authorization": f"Bearer {client.api_key}"},
        files={"model": (None, "whisper-1")},
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["param"] == "file"
    names = [model.id for model in client.models.list()]
    assert "whisper-1" in names and "tiny.en" in names
