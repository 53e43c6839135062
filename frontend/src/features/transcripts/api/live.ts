/**
 * Live events into the transcript cache: each `job.segment` appends its segment, so the
 * open transcript grows line by line; a job queued again starts over; a finished job's
 * transcript is re-fetched once (the events carry no word timings).
 *
 * A segment may arrive while the transcript is being fetched; that answer, taken a moment
 * earlier, would then overwrite it. So the segments of running jobs are also kept aside
 * (per query client) and merged into each answer until the job finishes.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { LiveEvent, LiveSegment, Segment, Transcript } from '@/api';
import { transcriptKeys } from './keys';

const pending = new WeakMap<QueryClient, Map<string, Map<number, Segment>>>();

function pendingFor(client: QueryClient, jobId: string): Map<number, Segment> {
  let jobs = pending.get(client);
  if (!jobs) pending.set(client, (jobs = new Map<string, Map<number, Segment>>()));
  let segments = jobs.get(jobId);
  if (!segments) jobs.set(jobId, (segments = new Map<number, Segment>()));
  return segments;
}

function toSegment(live: LiveSegment): Segment {
  return { id: live.id, start: live.start, end: live.end, text: live.text, speaker: live.speaker, words: null };
}

/** The transcript with these segments added (one per id, the newer kept), in time order. */
export function mergeSegments(transcript: Transcript, added: Iterable<Segment>): Transcript {
  const byId = new Map(transcript.segments.map((segment) => [segment.id, segment]));
  let changed = false;
  for (const segment of added) {
    const old = byId.get(segment.id);
    if (old && old.text === segment.text && (old.speaker ?? null) === (segment.speaker ?? null)) continue;
    // Keep the word timings the server sent when the text is the same.
    byId.set(segment.id, old && old.text === segment.text ? { ...old, speaker: segment.speaker } : segment);
    changed = true;
  }
  if (!changed) return transcript;
  const segments = [...byId.values()].sort((a, b) => a.start - b.start || a.id - b.id);
  return { ...transcript, segments, text: segments.map((segment) => segment.text.trim()).join(' ') };
}

/** A fetched transcript, with the live segments it was too early to contain. */
export function withLiveSegments(client: QueryClient, transcript: Transcript): Transcript {
  const kept = pending.get(client)?.get(transcript.job_id);
  if (!kept || kept.size === 0) return transcript;
  if (transcript.status !== 'running' && transcript.status !== 'queued') {
    pending.get(client)?.delete(transcript.job_id);
    return transcript;
  }
  return mergeSegments(transcript, kept.values());
}

export function applyTranscriptEvent(client: QueryClient, event: LiveEvent): void {
  const jobId = event.job_id;
  if (jobId === null) return;
  const key = transcriptKeys.detail(jobId);
  switch (event.type) {
    case 'job.segment': {
      const segment = toSegment(event.data);
      // Kept aside only for a transcript someone opened (its query exists, maybe loading).
      if (client.getQueryCache().find({ queryKey: key, exact: true }))
        pendingFor(client, jobId).set(segment.id, segment);
      client.setQueryData<Transcript>(key, (transcript) =>
        transcript ? mergeSegments({ ...transcript, status: 'running' }, [segment]) : transcript,
      );
      return;
    }
    case 'job.queued':
      // Its next run writes the transcript again from the start.
      pending.get(client)?.delete(jobId);
      client.setQueryData<Transcript>(key, (transcript) =>
        transcript ? { ...transcript, status: 'queued', segments: [], text: '' } : transcript,
      );
      return;
    case 'job.completed':
    case 'job.cancelled':
    case 'job.failed':
      pending.get(client)?.delete(jobId);
      void client.invalidateQueries({ queryKey: key });
      return;
    default:
      return;
  }
}
