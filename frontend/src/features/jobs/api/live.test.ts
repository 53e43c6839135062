import type { InfiniteData } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { Job, JobPage, LiveEvent } from '@/api';
import { makeJob } from '@/test/fake-api';
import { liveEvent } from '@/test/fake-socket';
import { testQueryClient } from '@/test/render';
import { jobKeys, type JobFilters } from './jobs';
import { paceText } from '../utils';
import { applyJobEvent, type JobPace, type JobRequeue } from './live';

const ALL: JobFilters = { status: null, q: '' };

function seed(job: Job) {
  const client = testQueryClient();
  const other = makeJob({ status: 'completed' });
  client.setQueryData<Job>(jobKeys.detail(job.id), job);
  client.setQueryData<InfiniteData<JobPage>>(jobKeys.list(ALL), {
    pages: [{ items: [other, job], next_cursor: null }],
    pageParams: [null],
  });
  const detail = () => client.getQueryData<Job>(jobKeys.detail(job.id));
  const listed = () =>
    client.getQueryData<InfiniteData<JobPage>>(jobKeys.list(ALL))?.pages[0]?.items.find((j) => j.id === job.id);
  const apply = (type: string, data: Record<string, unknown>) =>
    applyJobEvent(client, liveEvent(type, job.id, data) as LiveEvent);
  const state = (key: readonly unknown[]) => client.getQueryState(key);
  return { client, other, detail, listed, apply, state };
}

describe('applyJobEvent', () => {
  it('job.created: the lists are re-fetched (its place in a filtered list is the server’s call)', () => {
    const { apply, state } = seed(makeJob());
    apply('job.created', { status: 'queued', filename: 'new.wav', duration_s: 3, model: 'tiny.en' });
    expect(state(jobKeys.list(ALL))?.isInvalidated).toBe(true);
  });

  it('job.progress: the job starts running, its progress moves in the page and in the list, with pace', () => {
    const job = makeJob({ status: 'queued', progress: 0 });
    const { client, detail, listed, apply, other } = seed(job);
    apply('job.progress', { progress: 0.42, speed: 3.5, eta_s: 12 });
    expect(detail()).toMatchObject({ status: 'running', progress: 0.42 });
    expect(listed()).toMatchObject({ status: 'running', progress: 0.42 });
    expect(client.getQueryData<JobPace>(jobKeys.pace(job.id))).toEqual({ speed: 3.5, eta_s: 12 });
    // Other jobs keep their very objects (no re-render).
    const items = client.getQueryData<InfiniteData<JobPage>>(jobKeys.list(ALL))?.pages[0]?.items;
    expect(items?.[0]).toBe(other);
  });

  it('job.segment: a queued job shows as running', () => {
    const { detail, apply } = seed(makeJob({ status: 'queued' }));
    apply('job.segment', { id: 1, idx: 0, start: 0, end: 1, text: 'Hi', speaker: null });
    expect(detail()?.status).toBe('running');
  });

  it('job.queued: back to waiting, from zero, with the attempt count', () => {
    const job = makeJob({ status: 'running', progress: 0.7, attempts: 1 });
    const { detail, listed, apply, state } = seed(job);
    apply('job.queued', { status: 'queued', reason: 'worker lost', attempts: 2, retry_at: null });
    expect(detail()).toMatchObject({ status: 'queued', progress: 0, attempts: 2 });
    expect(listed()).toMatchObject({ status: 'queued', progress: 0 });
    expect(state(jobKeys.list(ALL))?.isInvalidated).toBe(true);
  });

  it('job.queued: the reason is kept for the page until the job runs or ends again', () => {
    const job = makeJob({ status: 'running', progress: 0.7, attempts: 1 });
    const { client, apply } = seed(job);
    const requeue = () => client.getQueryData<JobRequeue>(jobKeys.requeue(job.id));
    apply('job.queued', {
      status: 'queued',
      reason: 'The worker running it stopped answering',
      attempts: 1,
      retry_at: '2026-11-27T03:45:00+00:00',
    });
    expect(requeue()).toEqual({
      reason: 'The worker running it stopped answering',
      attempts: 1,
      retry_at: '2026-11-27T03:45:00+00:00',
    });
    apply('job.progress', { progress: 0.1, speed: null, eta_s: null });
    expect(requeue()).toBeUndefined();

    apply('job.queued', { status: 'queued', reason: 'Retried by its owner.', attempts: 0, retry_at: null });
    expect(requeue()?.reason).toBe('Retried by its owner.');
    apply('job.failed', { status: 'failed', partial: false, error: 'Out of memory.' });
    expect(requeue()).toBeUndefined();
  });

  it('job.completed: completed at 100 %, pace gone, the job re-fetched for its final fields', () => {
    const job = makeJob({ status: 'running', progress: 0.9, finished_at: null });
    const { client, detail, listed, apply, state } = seed(job);
    apply('job.progress', { progress: 0.95, speed: 2, eta_s: 1 });
    apply('job.completed', { status: 'completed', partial: false });
    expect(detail()).toMatchObject({ status: 'completed', progress: 1, partial: false });
    expect(detail()?.finished_at).toBe('2026-11-27T03:40:00.123456+00:00');
    expect(listed()?.status).toBe('completed');
    expect(client.getQueryData(jobKeys.pace(job.id))).toBeUndefined();
    expect(state(jobKeys.detail(job.id))?.isInvalidated).toBe(true);
  });

  it('job.failed and job.cancelled: the status, the reason and whether a part was kept', () => {
    const failed = seed(makeJob({ status: 'running', progress: 0.3 }));
    failed.apply('job.failed', { status: 'failed', partial: true, error: 'The file is not audio.' });
    expect(failed.detail()).toMatchObject({
      status: 'failed',
      partial: true,
      error: 'The file is not audio.',
      progress: 0.3,
    });
    const cancelled = seed(makeJob({ status: 'running' }));
    cancelled.apply('job.cancelled', { status: 'cancelled', partial: false });
    expect(cancelled.listed()).toMatchObject({ status: 'cancelled', error: null });
  });

  it('an event for a job nobody has loaded changes nothing', () => {
    const { client, apply } = seed(makeJob());
    const before = client.getQueryData(jobKeys.list(ALL));
    applyJobEvent(
      client,
      liveEvent('job.progress', 'someone-else', { progress: 0.5, speed: null, eta_s: null }) as LiveEvent,
    );
    apply('job.progress', { progress: 0.5, speed: null, eta_s: null });
    expect(client.getQueryData(jobKeys.detail('someone-else'))).toBeUndefined();
    expect(client.getQueryData(jobKeys.list(ALL))).not.toBe(before); // only the loaded job changed
  });
});

describe('paceText', () => {
  it('says the speed and the time left, or nothing while unknown', () => {
    expect(paceText(undefined)).toBe('');
    expect(paceText({ speed: null, eta_s: null })).toBe('');
    expect(paceText({ speed: 3.456, eta_s: 42 })).toBe('3.5× realtime · about 42 s left');
    expect(paceText({ speed: 2, eta_s: 0.4 })).toBe('2.0× realtime · almost done');
  });
});
