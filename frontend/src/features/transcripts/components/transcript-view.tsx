import { useCallback, useEffect, useRef } from 'react';
import type { Segment } from '@/api';
import { findActiveIndex } from '../lib/timeline';
import { SegmentItem, type SegmentEditing } from './segment-item';

export interface TranscriptViewProps {
  segments: readonly Segment[];
  activeSegment: number;
  activeWord: number;
  /** Scroll the playing segment into view (while playing, when following is on). */
  follow: boolean;
  onSeek: (time: number) => void;
  /** Edit controls on each segment (a finished job of one's own). */
  editing?: SegmentEditing;
  /** Scroll the segment at this time (seconds) into view once, and mark it (search links). */
  scrollToTime?: number;
}

const prefersReducedMotion = () =>
  typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

export function TranscriptView({
  segments,
  activeSegment,
  activeWord,
  follow,
  onSeek,
  editing,
  scrollToTime,
}: TranscriptViewProps) {
  const list = useRef<HTMLOListElement>(null);
  const showHours = (segments.at(-1)?.end ?? 0) >= 3600;

  useEffect(() => {
    if (!follow || activeSegment < 0) return;
    const element = list.current?.children[activeSegment] as HTMLElement | undefined;
    if (!element || typeof element.scrollIntoView !== 'function') return;
    const rect = element.getBoundingClientRect();
    const margin = 120; // keep clear of the sticky player
    if (rect.top < margin || rect.bottom > window.innerHeight - 40) {
      element.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    }
  }, [activeSegment, follow]);

  const target = scrollToTime === undefined ? -1 : findActiveIndex(segments, scrollToTime, 0.6);
  const scrolled = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (target < 0 || scrolled.current === scrollToTime) return;
    const element = list.current?.children[target] as HTMLElement | undefined;
    if (!element) return;
    scrolled.current = scrollToTime;
    if (typeof element.scrollIntoView === 'function') element.scrollIntoView({ block: 'center' });
  }, [target, scrollToTime]);

  const seek = useCallback((time: number) => onSeek(time), [onSeek]);

  return (
    <ol className="transcript" ref={list} aria-label="Transcript segments">
      {segments.map((segment, index) => (
        <SegmentItem
          key={segment.id}
          segment={segment}
          active={index === activeSegment}
          activeWord={index === activeSegment ? activeWord : -1}
          showHours={showHours}
          onSeek={seek}
          editing={editing}
          linked={index === target}
        />
      ))}
    </ol>
  );
}
