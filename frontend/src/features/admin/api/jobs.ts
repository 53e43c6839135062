/** Everyone's jobs, for administrators: list, one job, its transcript, delete. */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isNotFound, unwrap, type Job, type JobPage, type JobStatus } from '@/api';
import { env } from '@/config/env';
import { usersKey } from './admin';

export interface AdminJobFilters {
  ownerId: string | null;
  status: JobStatus | null;
}

export const ADMIN_JOBS_PAGE = 50;

export const adminJobKeys = {
  all: ['admin', 'jobs'] as const,
  lists: () => [...adminJobKeys.all, 'list'] as const,
  list: (filters: AdminJobFilters) => [...adminJobKeys.lists(), filters] as const,
  detail: (id: string) => [...adminJobKeys.all, 'detail', id] as const,
  transcript: (id: string) => [...adminJobKeys.all, 'detail', id, 'transcript'] as const,
};

const active = (status: JobStatus | undefined) => status === 'queued' || status === 'running';

/**
 * Live events reach only a job's owner, so an administrator's view of someone else's
 * running job is re-fetched on the poll interval instead.
 */
const pollWhileActive = (status: JobStatus | undefined) => (active(status) ? env.pollIntervalMs : false);

export function useAdminJobs(filters: AdminJobFilters) {
  return useInfiniteQuery({
    queryKey: adminJobKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/admin/jobs', {
          params: {
            query: {
              limit: ADMIN_JOBS_PAGE,
              ...(pageParam ? { cursor: pageParam } : {}),
              ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
              ...(filters.status ? { status: filters.status } : {}),
            },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: JobPage) => last.next_cursor ?? null,
    placeholderData: keepPreviousData,
  });
}

export function useAdminJob(id: string) {
  return useQuery({
    queryKey: adminJobKeys.detail(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/admin/jobs/{job_id}', { params: { path: { job_id: id } }, signal })),
    refetchInterval: (query) => pollWhileActive(query.state.data?.status),
    retry: (count, error) => count < 2 && !isNotFound(error),
  });
}

/** The transcript of anyone's job; polled while the job is still running. */
export function useAdminTranscript(id: string, jobStatus: JobStatus | undefined) {
  return useQuery({
    queryKey: adminJobKeys.transcript(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/admin/jobs/{job_id}/transcript', { params: { path: { job_id: id } }, signal })),
    enabled: jobStatus !== undefined,
    refetchInterval: pollWhileActive(jobStatus),
    retry: (count, error) => count < 2 && !isNotFound(error),
  });
}

export function useDeleteAdminJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (job: Job) =>
      unwrap(api.DELETE('/api/v1/admin/jobs/{job_id}', { params: { path: { job_id: job.id } } })),
    // The lists and the owner's usage change. Not awaited: the caller's own callbacks (a
    // toast, leaving the job's page) run first, before the refreshed list unmounts its row.
    onSettled: () => {
      void client.invalidateQueries({ queryKey: adminJobKeys.lists() });
      void client.invalidateQueries({ queryKey: usersKey });
    },
  });
}
