import { useEffect, useState } from 'react';
import { NOWHERE, positionAt, type PlaybackPosition, type Timed } from './timeline';

export interface Playback extends PlaybackPosition {
  playing: boolean;
}

/**
 * Follow a media element: which segment/word is at its current time, and whether it plays.
 * While playing it samples every animation frame (timeupdate alone fires only ~4×/s, too
 * coarse for words) but re-renders only when the segment or word changes.
 */
export function usePlaybackPosition(
  media: HTMLMediaElement | null,
  segments: readonly (Timed & { words?: readonly Timed[] | null })[],
): Playback {
  const [state, setState] = useState<Playback>({ ...NOWHERE, playing: false });

  useEffect(() => {
    if (!media) return;
    let frame = 0;
    const sample = () => {
      const next = positionAt(segments, media.currentTime);
      const playing = !media.paused && !media.ended;
      setState((prev) =>
        prev.segment === next.segment && prev.word === next.word && prev.playing === playing
          ? prev
          : { ...next, playing },
      );
    };
    const loop = () => {
      sample();
      if (!media.paused && !media.ended) frame = requestAnimationFrame(loop);
    };
    const start = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(loop);
    };
    const events = ['timeupdate', 'seeked', 'pause', 'ended', 'loadedmetadata'] as const;
    events.forEach((name) => media.addEventListener(name, sample));
    media.addEventListener('play', start);
    sample();
    if (!media.paused) start();
    return () => {
      cancelAnimationFrame(frame);
      events.forEach((name) => media.removeEventListener(name, sample));
      media.removeEventListener('play', start);
    };
  }, [media, segments]);

  return state;
}
