import { useId, useMemo, type ReactNode } from 'react';
import type { Segment } from '@/api';
import { EmptyState, ErrorAlert, Spinner } from '@/components';
import { isLowConfidence } from '../lib/timeline';
import { useTranscriptPlayer } from '../lib/use-transcript-player';
import { PlayerBar } from './player-bar';
import { TranscriptView } from './transcript-view';

export interface ReadOnlyTranscriptProps {
  segments: readonly Segment[];
  /** The media URL (the browser sends the access cookie, or the URL carries a share token), or null. */
  mediaSrc: string | null;
  /** Shown instead of the player when there is no media. */
  noMedia: { title: string; note?: string | null };
  /** What the player announces: the file name. */
  title: string;
  subtitle?: ReactNode;
  /** Buttons in the header (downloads). */
  actions?: ReactNode;
  /** No segments yet because they are still loading, or because loading failed. */
  pending?: boolean;
  error?: unknown;
  empty: { title: string; text: ReactNode };
}

/** A transcript to read and play along with, changing nothing: a share link's, or anyone's for an administrator. */
export function ReadOnlyTranscript({
  segments,
  mediaSrc,
  noMedia,
  title,
  subtitle,
  actions,
  pending = false,
  error,
  empty,
}: ReadOnlyTranscriptProps) {
  const headingId = useId();
  const player = useTranscriptPlayer(segments);
  const hasLowConfidence = useMemo(() => segments.some((segment) => segment.words?.some(isLowConfidence)), [segments]);
  return (
    <section className="card transcript-card" aria-labelledby={headingId}>
      <header className="card__header transcript-card__header">
        <div>
          <h2 id={headingId} className="card__title">
            Transcript
          </h2>
          <p className="card__subtitle">
            {subtitle}
            {segments.length} segment{segments.length === 1 ? '' : 's'}
          </p>
        </div>
        {actions}
      </header>
      <PlayerBar src={mediaSrc} noMedia={noMedia} title={title} player={player} hasLowConfidence={hasLowConfidence} />
      <div className="transcript-card__body">
        {segments.length > 0 ? (
          <TranscriptView
            segments={segments}
            activeSegment={player.playback.segment}
            activeWord={player.playback.word}
            follow={player.follow && player.playback.playing}
            onSeek={player.seek}
          />
        ) : pending ? (
          <div className="loading-block">
            <Spinner size={22} label="Loading the transcript" />
          </div>
        ) : error !== undefined && error !== null ? (
          <ErrorAlert title="The transcript could not be loaded" error={error} />
        ) : (
          <EmptyState icon="waveform" title={empty.title}>
            {empty.text}
          </EmptyState>
        )}
      </div>
    </section>
  );
}
