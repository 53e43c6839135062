/** Which segment and which word are playing: pure functions over sorted time ranges. */

export interface Timed {
  start: number;
  end: number;
}

/**
 * The index of the item playing at `time`: the last one that starts at or before it,
 * while `time` is before its end (plus `slack` seconds, to bridge short pauses).
 * -1 before the first item and in longer gaps. Items are sorted by start (the API
 * returns them so); a binary search keeps this cheap on hour-long transcripts.
 */
export function findActiveIndex(items: readonly Timed[], time: number, slack = 0): number {
  if (!Number.isFinite(time) || items.length === 0) return -1;
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid];
    if (item && item.start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0) return -1;
  const item = items[found];
  return item && time < item.end + slack ? found : -1;
}

export interface PlaybackPosition {
  segment: number;
  word: number;
}

export const NOWHERE: PlaybackPosition = { segment: -1, word: -1 };

/** Segment and word indices at `time` (word -1 when the segment has no word timings). */
export function positionAt(
  segments: readonly (Timed & { words?: readonly Timed[] | null })[],
  time: number,
): PlaybackPosition {
  // A short pause after a segment keeps it highlighted, so the view does not flicker.
  const segment = findActiveIndex(segments, time, 0.6);
  if (segment < 0) return NOWHERE;
  const words = segments[segment]?.words;
  const word = words && words.length > 0 ? findActiveIndex(words, time) : -1;
  return { segment, word };
}

export const LOW_CONFIDENCE = 0.5;

export function isLowConfidence(word: { probability: number }): boolean {
  return word.probability < LOW_CONFIDENCE;
}
