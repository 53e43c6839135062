import { describe, expect, it } from 'vitest';
import type { LiveEvent, Transcript } from '@/api';
import { JFK_SEGMENTS, makeTranscript } from '@/test/fake-api';
import { liveEvent } from '@/test/fake-socket';
import { testQueryClient } from '@/test/render';
import { transcriptKeys } from './keys';
import { applyTranscriptEvent, mergeSegments, withLiveSegments } from './live';

const JOB = 'job-1';

function segmentEvent(id: number, start: number, text: string, eventId?: number) {
  return liveEvent(
    'job.segment',
    JOB,
    { id, idx: id - 1, start, end: start + 2, text, speaker: null },
    eventId,
  ) as LiveEvent;
}

describe('applyTranscriptEvent', () => {
  it('job.segment appends the new segment to an open transcript, in time order', () => {
    const client = testQueryClient();
    client.setQueryData(
      transcriptKeys.detail(JOB),
      makeTranscript(JFK_SEGMENTS.slice(0, 1), { job_id: JOB, status: 'running' }),
    );
    applyTranscriptEvent(client, segmentEvent(3, 8.2, 'third'));
    applyTranscriptEvent(client, segmentEvent(2, 4.5, 'second'));
    const transcript = client.getQueryData<Transcript>(transcriptKeys.detail(JOB));
    expect(transcript?.segments.map((s) => s.id)).toEqual([1, 2, 3]);
    expect(transcript?.text).toBe('And so my fellow Americans, second third');
  });

  it('the same segment twice (a replay) is there once, and keeps its word timings', () => {
    const client = testQueryClient();
    client.setQueryData(
      transcriptKeys.detail(JOB),
      makeTranscript(JFK_SEGMENTS.slice(0, 1), { job_id: JOB, status: 'running' }),
    );
    const before = client.getQueryData<Transcript>(transcriptKeys.detail(JOB));
    applyTranscriptEvent(client, segmentEvent(1, 0, 'And so my fellow Americans,'));
    const after = client.getQueryData<Transcript>(transcriptKeys.detail(JOB));
    expect(after?.segments).toHaveLength(1);
    expect(after?.segments[0]?.words).toHaveLength(5);
    expect(after?.segments[0]).toBe(before?.segments[0]);
    applyTranscriptEvent(client, segmentEvent(2, 4.5, 'next'));
    applyTranscriptEvent(client, segmentEvent(2, 4.5, 'next'));
    expect(client.getQueryData<Transcript>(transcriptKeys.detail(JOB))?.segments).toHaveLength(2);
  });

  it('job.queued starts the transcript over; a finished job’s transcript is re-fetched', () => {
    const client = testQueryClient();
    client.setQueryData(transcriptKeys.detail(JOB), makeTranscript(JFK_SEGMENTS, { job_id: JOB, status: 'running' }));
    applyTranscriptEvent(
      client,
      liveEvent('job.queued', JOB, { status: 'queued', reason: 'retry', attempts: 2, retry_at: null }) as LiveEvent,
    );
    expect(client.getQueryData<Transcript>(transcriptKeys.detail(JOB))).toMatchObject({
      status: 'queued',
      segments: [],
      text: '',
    });
    applyTranscriptEvent(client, liveEvent('job.completed', JOB, { status: 'completed', partial: false }) as LiveEvent);
    expect(client.getQueryState(transcriptKeys.detail(JOB))?.isInvalidated).toBe(true);
  });

  it('a segment that came while the transcript was being fetched is merged into the answer', () => {
    const client = testQueryClient();
    // The page opened the transcript: its query exists but has no data yet.
    client.getQueryCache().build(client, { queryKey: transcriptKeys.detail(JOB) });
    applyTranscriptEvent(client, segmentEvent(2, 4.5, 'arrived during the fetch'));
    const fetched = makeTranscript(JFK_SEGMENTS.slice(0, 1), { job_id: JOB, status: 'running' });
    expect(withLiveSegments(client, fetched).segments.map((s) => s.text)).toEqual([
      'And so my fellow Americans,',
      'arrived during the fetch',
    ]);
    // Once the job is finished the server's answer is the whole truth.
    const done = makeTranscript(JFK_SEGMENTS.slice(0, 1), { job_id: JOB, status: 'completed' });
    expect(withLiveSegments(client, done)).toBe(done);
  });

  it('segments of transcripts nobody opened are not kept', () => {
    const client = testQueryClient();
    applyTranscriptEvent(client, segmentEvent(1, 0, 'unseen'));
    const fetched = makeTranscript([], { job_id: JOB, status: 'running' });
    expect(withLiveSegments(client, fetched)).toBe(fetched);
    expect(client.getQueryData(transcriptKeys.detail(JOB))).toBeUndefined();
  });
});

describe('mergeSegments', () => {
  it('returns the same transcript when nothing is new', () => {
    const transcript = makeTranscript(JFK_SEGMENTS);
    expect(mergeSegments(transcript, [])).toBe(transcript);
    expect(mergeSegments(transcript, [JFK_SEGMENTS[2]!])).toBe(transcript);
  });
});
