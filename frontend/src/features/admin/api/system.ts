/** The server itself: backups and the worker processes. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/api';

export const backupsKey = ['admin', 'backups'] as const;
export const workersKey = ['admin', 'workers'] as const;

/** Workers report every few seconds; the table keeps up without a reload. */
export const WORKERS_REFRESH_MS = 10_000;

export function useBackups() {
  return useQuery({
    queryKey: backupsKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/admin/backups', { signal })),
  });
}

export function useCreateBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/admin/backups')),
    onSettled: () => client.invalidateQueries({ queryKey: backupsKey }),
  });
}

export function useWorkers() {
  return useQuery({
    queryKey: workersKey,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/admin/workers', { signal })),
    refetchInterval: WORKERS_REFRESH_MS,
  });
}
