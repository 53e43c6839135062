import type { Segment, SegmentEdit } from '@/api';

/** Only what changed is sent; an emptied speaker removes the label. */
export function segmentEdit(segment: Segment, text: string, speaker: string): SegmentEdit | null {
  const edit: SegmentEdit = {};
  if (text.trim() !== segment.text.trim()) edit.text = text;
  const next = speaker.trim() === '' ? null : speaker.trim();
  if (next !== (segment.speaker ?? null)) edit.speaker = next;
  return Object.keys(edit).length > 0 ? edit : null;
}

/** The speakers of a transcript, most segments first, with how many segments each has. */
export function speakersOf(segments: readonly Pick<Segment, 'speaker'>[]): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { speaker } of segments) if (speaker) counts.set(speaker, (counts.get(speaker) ?? 0) + 1);
  return [...counts.entries()]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
