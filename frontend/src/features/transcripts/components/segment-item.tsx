import { Fragment, memo } from 'react';
import type { Segment } from '@/api';
import { cn } from '@/lib/cn';
import { formatTimestamp } from '@/lib/format';
import { isLowConfidence } from '../lib/timeline';

export interface SegmentItemProps {
  segment: Segment;
  active: boolean;
  /** Index of the playing word in this segment, or -1. */
  activeWord: number;
  showHours: boolean;
  onSeek: (time: number) => void;
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
}: SegmentItemProps) {
  const stamp = formatTimestamp(segment.start, { forceHours: showHours });
  const words = segment.words ?? [];
  return (
    <li
      className={cn('segment', active && 'segment--active')}
      aria-current={active ? 'true' : undefined}
      data-testid="segment"
      data-start={segment.start}
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
    </li>
  );
});
