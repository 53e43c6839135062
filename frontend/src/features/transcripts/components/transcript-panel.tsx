import { useCallback, useId, useRef, useState } from 'react';
import { mediaUrl, type JobStatus } from '@/api';
import { Button, EmptyState, ErrorAlert, Spinner } from '@/components';
import { formatLanguage } from '@/lib/format';
import { useTranscript } from '../api/transcripts';
import { isLowConfidence } from '../lib/timeline';
import { usePlaybackPosition } from '../lib/use-playback-position';
import { AudioPlayer } from './audio-player';
import { DownloadButtons } from './download-buttons';
import { TranscriptView } from './transcript-view';

export interface TranscriptPanelProps {
  jobId: string;
  title: string;
  /** The job's status, from the job query the page already runs. */
  jobStatus: JobStatus;
}

/** Player, downloads and the transcript of one job, kept in step with each other. */
export function TranscriptPanel({ jobId, title, jobStatus }: TranscriptPanelProps) {
  const live = jobStatus === 'queued' || jobStatus === 'running';
  const query = useTranscript(jobId, live);
  // The element in state drives the playback hook; the ref is what seeking changes.
  const [media, setMedia] = useState<HTMLAudioElement | null>(null);
  const mediaRef = useRef<HTMLAudioElement | null>(null);
  const onElement = useCallback((element: HTMLAudioElement | null) => {
    mediaRef.current = element;
    setMedia(element);
  }, []);
  const [follow, setFollow] = useState(true);
  const followId = useId();
  const segments = query.data?.segments ?? [];
  const playback = usePlaybackPosition(media, segments);
  const hasLowConfidence = segments.some((segment) => segment.words?.some(isLowConfidence));

  const seek = useCallback((time: number) => {
    const element = mediaRef.current;
    if (!element) return;
    element.currentTime = Math.max(0, time);
    if (element.paused) void element.play().catch(() => undefined);
  }, []);

  return (
    <section className="card transcript-card" aria-labelledby="transcript-title">
      <header className="card__header transcript-card__header">
        <div>
          <h2 id="transcript-title" className="card__title">
            Transcript
          </h2>
          <p className="card__subtitle">
            {query.data?.language ? `${formatLanguage(query.data.language)} · ` : ''}
            {segments.length} segment{segments.length === 1 ? '' : 's'}
            {live && ' · updating live'}
          </p>
        </div>
        <DownloadButtons jobId={jobId} ready={jobStatus === 'completed' || jobStatus === 'cancelled'} />
      </header>

      <div className="player-bar">
        <AudioPlayer src={mediaUrl(jobId)} title={title} onElement={onElement} />
        <div className="player-bar__options">
          <label className="switch" htmlFor={followId}>
            <input
              id={followId}
              type="checkbox"
              checked={follow}
              onChange={(event) => setFollow(event.target.checked)}
            />
            <span className="switch__track" aria-hidden="true" />
            Follow playback
          </label>
          {hasLowConfidence && (
            <span className="legend">
              <span className="word word--low">dotted</span> = low confidence
            </span>
          )}
        </div>
      </div>

      <div className="transcript-card__body">
        {query.isPending ? (
          <div className="loading-block">
            <Spinner size={22} label="Loading the transcript" />
          </div>
        ) : query.isError && segments.length === 0 ? (
          <ErrorAlert
            title="The transcript could not be loaded"
            error={query.error}
            action={
              <Button size="sm" onClick={() => void query.refetch()}>
                Try again
              </Button>
            }
          />
        ) : segments.length === 0 ? (
          <EmptyState icon={live ? 'clock' : 'waveform'} title={emptyTitle(jobStatus)}>
            {emptyText(jobStatus)}
          </EmptyState>
        ) : (
          <>
            <TranscriptView
              segments={segments}
              activeSegment={playback.segment}
              activeWord={playback.word}
              follow={follow && playback.playing}
              onSeek={seek}
            />
            {live && (
              <p className="transcript-card__more muted">
                <Spinner size={14} /> More text is on its way…
              </p>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function emptyTitle(status: JobStatus): string {
  switch (status) {
    case 'queued':
      return 'Waiting for a worker';
    case 'running':
      return 'Listening…';
    case 'failed':
      return 'No transcript';
    case 'cancelled':
      return 'Cancelled before any text';
    case 'completed':
      return 'No speech found';
  }
}

function emptyText(status: JobStatus): string {
  switch (status) {
    case 'queued':
      return 'The transcript appears here, segment by segment, as soon as the job starts.';
    case 'running':
      return 'The first words appear here in a few seconds.';
    case 'failed':
      return 'The job failed before any text was written. Retry it from the buttons above.';
    case 'cancelled':
      return 'Retry the job to transcribe it.';
    case 'completed':
      return 'The file was transcribed, but no speech was found in it.';
  }
}
