import { Fragment, memo, useState } from 'react';
import type { Segment } from '@/api';
import { Button } from '@/components';
import { cn } from '@/lib/cn';
import { formatTimestamp } from '@/lib/format';
import { isLowConfidence } from '../lib/timeline';
import { SegmentEditor } from './segment-editor';
import { SegmentHistory } from './segment-history';

/** What editing needs; absent while the job runs and on a shared page. */
export interface SegmentEditing {
  jobId: string;
  speakers: readonly string[];
  meId?: string;
}

export interface SegmentItemProps {
  segment: Segment;
  active: boolean;
  /** Index of the playing word in this segment, or -1. */
  activeWord: number;
  showHours: boolean;
  onSeek: (time: number) => void;
  editing?: SegmentEditing;
  /** The segment a link (from search) pointed at. */
  linked?: boolean;
}

/** Clicking text seeks there, unless the user is selecting text to copy. */
function selecting(): boolean {
  const selection = window.getSelection();
  return selection !== null && !selection.isCollapsed && selection.toString().trim() !== '';
}

export const SegmentItem = memo(function SegmentItem({
  segment,
  active,
  activeWord,
  showHours,
  onSeek,
  editing,
  linked = false,
}: SegmentItemProps) {
  const [mode, setMode] = useState<'read' | 'edit' | 'history'>('read');
  const stamp = formatTimestamp(segment.start, { forceHours: showHours });
  const words = segment.words ?? [];
  return (
    <li
      className={cn(
        'segment',
        active && 'segment--active',
        linked && 'segment--linked',
        editing && 'segment--editable',
      )}
      aria-current={active ? 'true' : undefined}
      data-testid="segment"
      data-start={segment.start}
      data-segment-id={segment.id}
    >
      <button
        type="button"
        className="segment__time"
        onClick={() => onSeek(segment.start)}
        aria-label={`Play from ${stamp}`}
        title={`Play from ${stamp}`}
      >
        {stamp}
      </button>
      <div className="segment__body">
        {editing && mode === 'edit' ? (
          <SegmentEditor
            jobId={editing.jobId}
            segment={segment}
            speakers={editing.speakers}
            stamp={stamp}
            onDone={() => setMode('read')}
          />
        ) : (
          <p
            className="segment__text"
            onClick={(event) => {
              if (selecting()) return;
              const start = (event.target as HTMLElement).dataset.start;
              onSeek(start !== undefined ? Number(start) : segment.start);
            }}
          >
            {segment.speaker && <span className="segment__speaker">{segment.speaker}</span>}
            {words.length > 0
              ? words.map((word, index) => {
                  const low = isLowConfidence(word);
                  // Whisper's words carry their leading space; keep it outside the highlight.
                  const lead = /^\s*/.exec(word.word)?.[0] ?? '';
                  return (
                    <Fragment key={index}>
                      {lead}
                      <span
                        data-start={word.start}
                        className={cn('word', low && 'word--low', active && index === activeWord && 'word--active')}
                        title={low ? `Low confidence (${Math.round(word.probability * 100)}%)` : undefined}
                      >
                        {word.word.slice(lead.length)}
                      </span>
                    </Fragment>
                  );
                })
              : segment.text}
          </p>
        )}
        {editing && mode === 'history' && (
          <SegmentHistory
            jobId={editing.jobId}
            segmentId={segment.id}
            meId={editing.meId}
            onClose={() => setMode('read')}
          />
        )}
      </div>
      {editing && mode === 'read' && (
        <span className="segment__tools">
          <Button
            size="sm"
            variant="ghost"
            icon="edit"
            aria-label={`Edit the segment at ${stamp}`}
            title="Edit text or speaker"
            onClick={() => setMode('edit')}
          />
          <Button
            size="sm"
            variant="ghost"
            icon="history"
            aria-label={`Versions of the segment at ${stamp}`}
            title="Versions, and back to the original"
            onClick={() => setMode('history')}
          />
        </span>
      )}
    </li>
  );
});
