/**
 * Live `job.*` events into the jobs cache: the job page and every loaded list page change
 * in place (progress, status), and what an event cannot say exactly (a new job's place in
 * a filtered list, the finished job's last fields) is re-fetched once.
 */
import { useQuery, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { Job, JobPage, LiveEvent } from '@/api';
import { jobKeys } from './jobs';

export interface JobPace {
  /** Seconds of audio per second (×realtime), or null while unknown. */
  speed: number | null;
  eta_s: number | null;
}

/** Why a job waits again: the worker was lost, a passing fault, or its owner retried it. */
export interface JobRequeue {
  reason: string;
  attempts: number;
  /** When the next try may start (a fault's back-off), or null for "as soon as a worker is free". */
  retry_at: string | null;
}

type Patch = (job: Job) => Job;

/** Change one job wherever it is cached; unchanged objects stay the same (no re-render). */
function patchJob(client: QueryClient, id: string, patch: Patch): void {
  client.setQueryData<Job>(jobKeys.detail(id), (job) => (job ? patch(job) : job));
  client.setQueriesData<InfiniteData<JobPage>>({ queryKey: jobKeys.lists() }, (data) => {
    if (!data) return data;
    const pages = data.pages.map((page) =>
      page.items.some((job) => job.id === id)
        ? { ...page, items: page.items.map((job) => (job.id === id ? patch(job) : job)) }
        : page,
    );
    return pages.some((page, index) => page !== data.pages[index]) ? { ...data, pages } : data;
  });
}

const started: Patch = (job) => (job.status === 'queued' ? { ...job, status: 'running' } : job);

export function applyJobEvent(client: QueryClient, event: LiveEvent): void {
  const id = event.job_id;
  if (id === null) return;
  switch (event.type) {
    case 'job.created':
      void client.invalidateQueries({ queryKey: jobKeys.lists() });
      return;
    case 'job.progress': {
      const { progress, speed, eta_s } = event.data;
      patchJob(client, id, (job) =>
        job.progress === progress && job.status === 'running' ? job : { ...started(job), progress },
      );
      client.setQueryData<JobPace>(jobKeys.pace(id), { speed, eta_s });
      client.removeQueries({ queryKey: jobKeys.requeue(id) });
      return;
    }
    case 'job.segment':
      patchJob(client, id, started);
      client.removeQueries({ queryKey: jobKeys.requeue(id) });
      return;
    case 'job.queued':
      patchJob(client, id, (job) => ({
        ...job,
        status: 'queued',
        progress: 0,
        attempts: event.data.attempts,
        error: null,
        finished_at: null,
      }));
      client.removeQueries({ queryKey: jobKeys.pace(id) });
      client.setQueryData<JobRequeue>(jobKeys.requeue(id), {
        reason: event.data.reason,
        attempts: event.data.attempts,
        retry_at: event.data.retry_at,
      });
      void client.invalidateQueries({ queryKey: jobKeys.lists() });
      return;
    case 'job.completed':
    case 'job.cancelled':
    case 'job.failed': {
      const { data } = event;
      patchJob(client, id, (job) => ({
        ...job,
        status: data.status,
        partial: data.partial,
        progress: data.status === 'completed' ? 1 : job.progress,
        error: data.status === 'failed' ? data.error : null,
        finished_at: job.finished_at ?? event.created_at,
      }));
      client.removeQueries({ queryKey: jobKeys.pace(id) });
      client.removeQueries({ queryKey: jobKeys.requeue(id) });
      void client.invalidateQueries({ queryKey: jobKeys.detail(id) });
      void client.invalidateQueries({ queryKey: jobKeys.lists() });
      return;
    }
  }
}

/** Speed and ETA of a running job, while its progress events arrive. */
export function useJobPace(id: string): JobPace | undefined {
  return useQuery<JobPace>({
    queryKey: jobKeys.pace(id),
    queryFn: () => Promise.resolve({ speed: null, eta_s: null }),
    enabled: false,
    staleTime: Infinity,
  }).data;
}

/** Why a queued job waits again, while this tab heard it (null otherwise). */
export function useJobRequeue(
  job: Pick<Job, 'id' | 'status' | 'attempts' | 'queue_reason' | 'retry_at'>,
): JobRequeue | undefined {
  const live = useQuery<JobRequeue>({
    queryKey: jobKeys.requeue(job.id),
    queryFn: () => Promise.reject(new Error('Only live events fill this in.')),
    enabled: false,
    staleTime: Infinity,
  }).data;
  if (live) return live;
  // Not heard live (a reload, another device): the server keeps the reason until a worker takes it.
  if (job.status === 'queued' && job.queue_reason) {
    return { reason: job.queue_reason, attempts: job.attempts, retry_at: job.retry_at ?? null };
  }
  return undefined;
}
