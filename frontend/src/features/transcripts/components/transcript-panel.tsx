import { useMemo } from 'react';
import { mediaUrl, type JobStatus, type Task } from '@/api';
import { Button, EmptyState, ErrorAlert, Spinner } from '@/components';
import { formatLanguage } from '@/lib/format';
import { useTranscript } from '../api/transcripts';
import { speakersOf } from '../lib/edits';
import { isLowConfidence } from '../lib/timeline';
import { useTranscriptPlayer } from '../lib/use-transcript-player';
import { DownloadButtons } from './download-buttons';
import { PlayerBar } from './player-bar';
import type { SegmentEditing } from './segment-item';
import { SpeakersPanel } from './speakers-panel';
import { TranscriptView } from './transcript-view';

export interface TranscriptPanelProps {
  jobId: string;
  title: string;
  /** The job's status, from the job query the page already runs. */
  jobStatus: JobStatus;
  task?: Task;
  /** Set when retention deleted the original media: the server's sentence about it. */
  mediaNote?: string | null;
  mediaDeleted?: boolean;
  /** The signed-in user, to tell own edits from others' (an admin may edit too). */
  meId?: string;
  /** Seconds: open with the media there and that segment in view (links from search). */
  startAt?: number;
}

const finished = (status: JobStatus) => status === 'completed' || status === 'cancelled';

/** Player, downloads and the transcript of one job, kept in step with each other; editable once finished. */
export function TranscriptPanel({
  jobId,
  title,
  jobStatus,
  task = 'transcribe',
  mediaNote,
  mediaDeleted = false,
  meId,
  startAt,
}: TranscriptPanelProps) {
  const live = jobStatus === 'queued' || jobStatus === 'running';
  const query = useTranscript(jobId, live);
  const segments = useMemo(() => query.data?.segments ?? [], [query.data]);
  const player = useTranscriptPlayer(segments, startAt);
  const hasLowConfidence = segments.some((segment) => segment.words?.some(isLowConfidence));
  const speakers = useMemo(() => speakersOf(segments), [segments]);
  const speakerNames = useMemo(() => speakers.map((s) => s.name), [speakers]);
  const editable = finished(jobStatus) && query.data !== undefined;
  const editing = useMemo<SegmentEditing | undefined>(
    () => (editable ? { jobId, speakers: speakerNames, meId } : undefined),
    [editable, jobId, speakerNames, meId],
  );

  return (
    <section className="card transcript-card" aria-labelledby="transcript-title">
      <header className="card__header transcript-card__header">
        <div>
          <h2 id="transcript-title" className="card__title">
            {task === 'translate' ? 'Transcript, translated to English' : 'Transcript'}
          </h2>
          <p className="card__subtitle">
            {task === 'translate' && query.data?.language ? `Spoken in ${formatLanguage(query.data.language)} · ` : ''}
            {task !== 'translate' && query.data?.language ? `${formatLanguage(query.data.language)} · ` : ''}
            {segments.length} segment{segments.length === 1 ? '' : 's'}
            {live && ' · updating live'}
            {editable && segments.length > 0 && ' · select the pencil on a segment to edit it'}
          </p>
        </div>
        <DownloadButtons jobId={jobId} ready={finished(jobStatus)} />
      </header>

      <PlayerBar
        src={mediaDeleted ? null : mediaUrl(jobId)}
        noMedia={{ title: 'The audio is no longer kept', note: mediaNote }}
        title={title}
        player={player}
        hasLowConfidence={hasLowConfidence}
      />
      {editable && <SpeakersPanel jobId={jobId} speakers={speakers} />}

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
              activeSegment={player.playback.segment}
              activeWord={player.playback.word}
              follow={player.follow && player.playback.playing}
              onSeek={player.seek}
              editing={editing}
              scrollToTime={startAt}
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
