/** Read-only links to one transcript (docs/api.md, "Sharing"), and the page they open. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isNotFound, unwrap, type ShareCreate } from '@/api';
import { transcriptKeys } from './keys';

export const shareKeys = {
  list: (jobId: string) => [...transcriptKeys.all, 'shares', jobId] as const,
  shared: (token: string) => ['shared', token] as const,
};

/** The web page a share link opens (the API's own `url` is the JSON behind it). */
export function sharePageUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/shared/${encodeURIComponent(token)}`;
}

export function useShares(jobId: string) {
  return useQuery({
    queryKey: shareKeys.list(jobId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/jobs/{job_id}/shares', { params: { path: { job_id: jobId } }, signal })),
  });
}

export function useCreateShare(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (options: ShareCreate) =>
      unwrap(api.POST('/api/v1/jobs/{job_id}/shares', { params: { path: { job_id: jobId } }, body: options })),
    onSettled: () => client.invalidateQueries({ queryKey: shareKeys.list(jobId) }),
  });
}

export function useRevokeShare(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (shareId: string) =>
      unwrap(
        api.DELETE('/api/v1/jobs/{job_id}/shares/{share_id}', {
          params: { path: { job_id: jobId, share_id: shareId } },
        }),
      ),
    onSettled: () => client.invalidateQueries({ queryKey: shareKeys.list(jobId) }),
  });
}

/** What a share link shows; no account needed. */
export function useSharedTranscript(token: string) {
  return useQuery({
    queryKey: shareKeys.shared(token),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/shared/{token}', { params: { path: { token } }, signal })),
    retry: (count, error) => count < 2 && !isNotFound(error),
    staleTime: Infinity,
  });
}
