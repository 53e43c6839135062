/** TanStack Query hooks for jobs: list (cursor pages), one job, and the job actions. */
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { api, isNotFound, unwrap, type Job, type JobPage, type JobStatus } from '@/api';
import { useLiveRefetchInterval } from '@/lib/live-updates';
import { anyActive, isActive } from '../utils';

export interface JobFilters {
  status: JobStatus | null;
  q: string;
}

export const PAGE_SIZE = 20;

export const jobKeys = {
  all: ['jobs'] as const,
  lists: () => [...jobKeys.all, 'list'] as const,
  list: (filters: JobFilters) => [...jobKeys.lists(), filters] as const,
  detail: (id: string) => [...jobKeys.all, 'detail', id] as const,
  /** Speed and ETA of a running job, from its live progress events (not a server query). */
  pace: (id: string) => [...jobKeys.all, 'pace', id] as const,
  /** Why a job went back to the queue, from its live `job.queued` event (not a server query). */
  requeue: (id: string) => [...jobKeys.all, 'requeue', id] as const,
};

/** After something outside this feature created or changed jobs (an upload, say). */
export function invalidateJobs(client: QueryClient): Promise<void> {
  return client.invalidateQueries({ queryKey: jobKeys.all });
}

export function useJobs(filters: JobFilters) {
  const refetchInterval = useLiveRefetchInterval<InfiniteData<JobPage>>((data) =>
    anyActive(data?.pages.flatMap((page) => page.items) ?? []),
  );
  return useInfiniteQuery({
    queryKey: jobKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/jobs', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(pageParam ? { cursor: pageParam } : {}),
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
            },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: JobPage) => last.next_cursor ?? null,
    placeholderData: keepPreviousData,
    refetchInterval,
  });
}

/** The jobs of all loaded pages, newest first, each once (pages may overlap while jobs arrive). */
export function flattenJobs(data: InfiniteData<JobPage> | undefined): Job[] {
  const seen = new Set<string>();
  const jobs: Job[] = [];
  for (const page of data?.pages ?? []) {
    for (const job of page.items) {
      if (!seen.has(job.id)) {
        seen.add(job.id);
        jobs.push(job);
      }
    }
  }
  return jobs;
}

export function useJob(id: string) {
  const refetchInterval = useLiveRefetchInterval<Job>((job) => job !== undefined && isActive(job.status));
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/jobs/{job_id}', { params: { path: { job_id: id } }, signal })),
    refetchInterval,
    retry: (count, error) => count < 2 && !isNotFound(error),
  });
}

function useJobMutation(run: (id: string) => Promise<Job | null>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (job, id) => {
      if (job) client.setQueryData(jobKeys.detail(id), job);
      else client.removeQueries({ queryKey: jobKeys.detail(id) });
    },
    onSettled: () => invalidateJobs(client),
  });
}

export function useCancelJob() {
  return useJobMutation((id) => unwrap(api.POST('/api/v1/jobs/{job_id}/cancel', { params: { path: { job_id: id } } })));
}

export function useRetryJob() {
  return useJobMutation((id) => unwrap(api.POST('/api/v1/jobs/{job_id}/retry', { params: { path: { job_id: id } } })));
}

export function useDeleteJob() {
  return useJobMutation(async (id) => {
    await unwrap(api.DELETE('/api/v1/jobs/{job_id}', { params: { path: { job_id: id } } }));
    return null;
  });
}
