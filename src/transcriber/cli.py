"""The `transcriber` command: serve, worker, transcribe, upload, models, db."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from transcriber.config import get_settings

if TYPE_CHECKING:
    from transcriber.config import Settings

app = typer.Typer(
    help="Whisper Transcriber: self-hosted transcription with Whisper.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
models_app = typer.Typer(help="The model catalog.", no_args_is_help=True)
db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)
users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
backup_app = typer.Typer(
    help="Backups of the database, media and signing key.", no_args_is_help=True
)
app.add_typer(backup_app, name="backup")
app.add_typer(models_app, name="models")
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")

console = Console(stderr=True)


def _configure_logging(settings: Settings) -> None:
    """Text or JSON log lines, as the settings say (docs/decisions/0143)."""
    from transcriber.kit.logs import configure_logging

    configure_logging(settings)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to the configured database."""
    from transcriber.kit.migrate import upgrade

    settings = get_settings()
    upgrade(settings.resolved_database_url)
    console.print(f"Database is up to date: {_redact(settings.resolved_database_url)}")


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="The new account's email (its login name).")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    admin: Annotated[bool, typer.Option("--admin", help="Make the account an admin.")] = False,
) -> None:
    """Create an account (the first admin too) without the web app."""
    from transcriber.audit.service import AuditLog
    from transcriber.kit.db import make_engine, make_sessionmaker, transaction
    from transcriber.kit.migrate import upgrade
    from transcriber.users.service import UserService

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = get_settings()
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with transaction(make_sessionmaker(engine)) as session:
        audit = AuditLog(session)
        user = UserService(session, settings, audit).create(
            email, password, role="admin" if admin else "user"
        )
        console.print(f"Created {'admin' if admin else 'user'} {user.email} ({user.id}).")
    engine.dispose()


def _audit_cli(action: str, **details: object) -> None:
    """An audit row for an operator's action (no user: it came from a shell)."""
    from transcriber.audit.service import AuditLog, ClientContext
    from transcriber.kit.db import make_engine, make_sessionmaker, transaction

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    with transaction(make_sessionmaker(engine)) as session:
        AuditLog(session, ClientContext(user_agent="transcriber-cli")).record(
            action, actor=None, target_type="backup", **details
        )
    engine.dispose()


@backup_app.command("create")
def backup_create() -> None:
    """Write a backup to DATA_DIR/backups (safe while the server runs)."""
    from transcriber.backups.service import BackupService

    info = BackupService(get_settings()).create()
    _audit_cli("backup.created", name=info.name, size_bytes=info.size_bytes)
    console.print(f"Wrote {info.name} ({info.size_bytes:,} bytes).")


@backup_app.command("list")
def backup_list() -> None:
    """Show the backups in DATA_DIR/backups, newest first."""
    from transcriber.backups.service import BackupService

    table = Table("name", "bytes", "created")
    for info in BackupService(get_settings()).list():
        table.add_row(
            info.name, f"{info.size_bytes:,}", info.created_at.isoformat(timespec="seconds")
        )
    Console().print(table)


@backup_app.command("restore")
def backup_restore(
    file: Annotated[Path, typer.Argument(help="A backup archive made by `backup create`.")],
) -> None:
    """Replace the database, media and signing key with a backup's. Stop the server first."""
    from transcriber.backups.service import BackupService

    manifest = BackupService(get_settings()).restore(file)
    _audit_cli("backup.restored", name=file.name, created_at=str(manifest.get("created_at")))
    console.print(f"Restored {file.name} (made {manifest.get('created_at')}).")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[int, typer.Option(help="API worker processes.")] = 1,
    no_worker: Annotated[
        bool, typer.Option("--no-worker", help="Do not start the embedded transcription worker.")
    ] = False,
) -> None:
    """Serve the API (and, on the embedded default, a transcription worker beside it)."""
    import uvicorn

    from transcriber.kit.logs import logging_config
    from transcriber.kit.migrate import upgrade
    from transcriber.metrics.processes import metrics_shared_between_processes

    settings = get_settings()
    _configure_logging(settings)
    settings.resolved_data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    worker_process: subprocess.Popen[bytes] | None = None
    if settings.embedded_worker and not no_worker:
        worker_process = subprocess.Popen([sys.executable, "-m", "transcriber", "worker"])
        console.print(f"Started the embedded worker (pid {worker_process.pid}).")
    # Several API processes behind one port: each scrape reports all of them (0144).
    shared_metrics: AbstractContextManager[None] = (
        metrics_shared_between_processes() if workers > 1 else nullcontext()
    )
    try:
        with shared_metrics:
            uvicorn.run(
                "transcriber.app:create_app",
                factory=True,
                host=host or settings.host,
                port=port or settings.port,
                workers=workers,
                # Applied again in each API process; the request log replaces the access log,
                # which would print raw paths (a shared link's token is in its path).
                log_config=logging_config(settings),
                log_level=settings.log_level.lower(),
                access_log=False,
                # Protocol pings drop dead WebSockets (a client that does not answer in time).
                ws_ping_interval=settings.events.ping_interval_s,
                ws_ping_timeout=settings.events.ping_interval_s,
            )
    finally:
        if worker_process is not None:
            _stop(worker_process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@app.command()
def worker(
    queues: Annotated[
        str | None,
        typer.Option(help="Comma-separated queues to consume, e.g. `cpu` or `gpu,cpu`."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs at once in this process (default: CPU cores).")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Model to load before taking jobs (others load when a job needs them)."),
    ] = None,
) -> None:
    """Run a Celery worker that transcribes jobs (docs/scaling.md)."""
    from celery.signals import setup_logging, worker_ready, worker_shutdown

    from transcriber.jobs import tasks  # registers the task with Celery
    from transcriber.worker.agent import WorkerAgent
    from transcriber.worker.celery_app import make_celery
    from transcriber.worker.context import get_worker_context

    if concurrency is not None:
        os.environ["TRANSCRIBER_WORKER__CONCURRENCY"] = str(concurrency)
    if queues is not None:
        os.environ["TRANSCRIBER_WORKER__QUEUES"] = queues
    get_settings.cache_clear()
    settings = get_settings()
    _configure_logging(settings)

    def _keep_our_logging(**_: object) -> None:
        """Connected, so Celery leaves the logging configured above as it is."""

    setup_logging.connect(_keep_our_logging, weak=False)
    context = get_worker_context()
    consumed = settings.worker.consumed_queues
    if (
        settings.worker.gpu_queue in consumed
        and context.engine.device != "cuda"
        and settings.whisper.device != "cpu"
    ):
        console.print(
            f"[red]error:[/red] this machine has no CUDA device, so it cannot serve the "
            f"`{settings.worker.gpu_queue}` queue (its models are too slow for a CPU). "
            "Consume the CPU queue instead, or set TRANSCRIBER_WHISPER__DEVICE=cpu to run "
            "them on the CPU anyway."
        )
        raise typer.Exit(2)
    context.prepare_model(model or settings.default_model)
    agent = WorkerAgent(context)

    def _ready(**_: object) -> None:
        agent.start()

    def _shutdown(**_: object) -> None:
        agent.stop()

    worker_ready.connect(_ready, weak=False)
    worker_shutdown.connect(_shutdown, weak=False)
    celery = make_celery(settings)
    assert tasks.transcribe_job.name
    # JSON logs are for log pipelines: no multi-line banner among them.
    quiet = ["--quiet"] if settings.resolved_log_format == "json" else []
    celery.worker_main(
        [
            *quiet,
            "worker",
            "--pool=threads",
            f"--concurrency={settings.worker_concurrency}",
            f"--queues={','.join(consumed)}",
            f"--hostname=transcriber-{os.getpid()}@{socket.gethostname()}",
            f"--loglevel={settings.log_level}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def transcribe(
    files: Annotated[list[Path], typer.Argument(help="Audio or video files.", exists=True)],
    model: Annotated[str | None, typer.Option(help="Catalog name or model folder.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code; detected if unset.")] = None,
    task: Annotated[str, typer.Option(help="transcribe or translate (to English).")] = "transcribe",
    fmt: Annotated[str, typer.Option("--format", help="txt, srt, vtt, json, tsv or docx.")] = "txt",
    output: Annotated[
        Path | None, typer.Option(help="Folder for the results (default: beside each file).")
    ] = None,
    word_timestamps: Annotated[bool, typer.Option(help="Word-level timings.")] = False,
    vad: Annotated[bool, typer.Option(help="Skip non-speech with Silero VAD.")] = True,
    diarize: Annotated[
        bool, typer.Option(help="Label segments by speaker (needs the diarization extra).")
    ] = False,
    min_speakers: Annotated[
        int | None, typer.Option(help="With --diarize: at least this many speakers.")
    ] = None,
    max_speakers: Annotated[
        int | None, typer.Option(help="With --diarize: at most this many speakers.")
    ] = None,
) -> None:
    """Transcribe files locally, without a server, with a progress bar."""
    from transcriber.local import transcribe_files

    code = transcribe_files(
        files,
        model=model,
        language=language,
        task=task,
        fmt=fmt,
        output=output,
        word_timestamps=word_timestamps,
        vad=vad,
        diarize=diarize,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
        console=console,
    )
    raise typer.Exit(code)


@app.command()
def upload(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Media files, or folders (every media file in them).", exists=True),
    ],
    server: Annotated[
        str, typer.Option(envvar="TRANSCRIBER_SERVER", help="The server's base URL.")
    ] = "http://127.0.0.1:8000",
    api_key: Annotated[
        str | None,
        typer.Option(envvar="TRANSCRIBER_API_KEY", help="An API key (or an access token)."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Catalog model name.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code; detected if unset.")] = None,
    task: Annotated[str | None, typer.Option(help="transcribe or translate.")] = None,
    word_timestamps: Annotated[
        bool | None, typer.Option("--word-timestamps/--no-word-timestamps", help="Word timings.")
    ] = None,
    vad: Annotated[
        bool | None, typer.Option("--vad/--no-vad", help="Skip non-speech with Silero VAD.")
    ] = None,
    initial_prompt: Annotated[
        str | None, typer.Option(help="Text that primes spelling and style.")
    ] = None,
    diarize: Annotated[
        bool | None, typer.Option("--diarize/--no-diarize", help="Label speakers.")
    ] = None,
    chunk_mib: Annotated[int, typer.Option(min=1, help="MiB sent per request.")] = 32,
    retries: Annotated[int, typer.Option(min=0, help="Retries per file after a failure.")] = 5,
) -> None:
    """Upload files to a server (resumable, tus) and make one job per file; prints job ids."""
    from transcriber.uploads.client import BatchUploader, media_files

    if not api_key:
        console.print("[red]error:[/red] give --api-key or set TRANSCRIBER_API_KEY")
        raise typer.Exit(2)
    files = media_files(paths)
    if not files:
        console.print("[red]error:[/red] no media files found")
        raise typer.Exit(2)
    options = {
        "model": model,
        "language": language,
        "task": task,
        "word_timestamps": word_timestamps,
        "vad": vad,
        "initial_prompt": initial_prompt,
        "diarize": diarize,
    }
    uploader = BatchUploader(
        server, api_key, options, chunk_bytes=chunk_mib * 1024 * 1024, retries=retries
    )
    failed = 0
    try:
        for path in files:
            outcome = uploader.upload(path)
            if outcome.job_id:
                typer.echo(f"{outcome.job_id}\t{path}")
            else:
                failed += 1
                console.print(f"[red]{path}:[/red] {outcome.error}")
    finally:
        uploader.close()
    console.print(f"{len(files) - failed} of {len(files)} file(s) queued.")
    raise typer.Exit(1 if failed else 0)


@models_app.command("list")
def models_list() -> None:
    """Show the catalog and what is installed."""
    from transcriber.asr.catalog import list_models

    table = Table("name", "multilingual", "installed", "source")
    for entry in list_models(get_settings()):
        table.add_row(
            entry.name,
            "yes" if entry.multilingual else "no",
            "yes" if entry.installed else "no",
            entry.source,
        )
    Console().print(table)


@models_app.command("install")
def models_install(name: str) -> None:
    """Install a catalog model into the models folder."""
    from transcriber.asr.catalog import install_model

    path = install_model(name, get_settings())
    console.print(f"Installed {name} at {path}")


@models_app.command("verify")
def models_verify(name: str) -> None:
    """Check an installed model against its recorded checksum and load it."""
    from transcriber.asr.catalog import verify_model

    result = verify_model(name, get_settings())
    console.print(result.message if hasattr(result, "message") else str(result))
    raise typer.Exit(0 if getattr(result, "ok", False) else 1)


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main() -> None:
    from transcriber.kit.errors import TranscriberError

    try:
        app()
    except TranscriberError as exc:
        console.print(f"[red]error:[/red] {exc.detail}")
        sys.exit(2)


if __name__ == "__main__":
    main()
