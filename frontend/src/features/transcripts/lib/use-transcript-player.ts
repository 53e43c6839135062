import { useCallback, useEffect, useRef, useState } from 'react';
import type { Timed } from './timeline';
import { usePlaybackPosition, type Playback } from './use-playback-position';

export interface TranscriptPlayer {
  /** Give this to the <audio> element's ref. */
  onElement: (element: HTMLAudioElement | null) => void;
  playback: Playback;
  seek: (time: number) => void;
  follow: boolean;
  setFollow: (follow: boolean) => void;
}

/**
 * The media element and the transcript in step: which segment and word play, seeking from
 * a click, following playback. `startAt` (seconds) puts the media there once it can seek,
 * without playing (a link from search results; browsers refuse autoplay with sound anyway).
 */
export function useTranscriptPlayer(
  segments: readonly (Timed & { words?: readonly Timed[] | null })[],
  startAt?: number,
): TranscriptPlayer {
  // The element in state drives the playback hook; the ref is what seeking changes.
  const [media, setMedia] = useState<HTMLAudioElement | null>(null);
  const mediaRef = useRef<HTMLAudioElement | null>(null);
  const onElement = useCallback((element: HTMLAudioElement | null) => {
    mediaRef.current = element;
    setMedia(element);
  }, []);
  const [follow, setFollow] = useState(true);
  const playback = usePlaybackPosition(media, segments);

  const seek = useCallback((time: number) => {
    const element = mediaRef.current;
    if (!element) return;
    element.currentTime = Math.max(0, time);
    if (element.paused) void element.play().catch(() => undefined);
  }, []);

  useEffect(() => {
    const element = mediaRef.current;
    if (!media || !element || startAt === undefined || !Number.isFinite(startAt) || startAt <= 0) return;
    const place = () => {
      element.currentTime = startAt;
    };
    if (media.readyState >= 1) place();
    else media.addEventListener('loadedmetadata', place, { once: true });
    return () => media.removeEventListener('loadedmetadata', place);
  }, [media, startAt]);

  return { onElement, playback, seek, follow, setFollow };
}
