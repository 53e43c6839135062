/** My API keys, my password and my usage. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type ApiKeyCreate } from '@/api';

export const apiKeysKey = ['api-keys'] as const;
export const myStatsKey = ['stats'] as const;

/** My usage against my quotas. */
export function useMyStats() {
  return useQuery({ queryKey: myStatsKey, queryFn: ({ signal }) => unwrap(api.GET('/api/v1/stats', { signal })) });
}

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeysKey,
    queryFn: () => unwrap(api.GET('/api/v1/api-keys')),
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiKeyCreate) => unwrap(api.POST('/api/v1/api-keys', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) =>
      unwrap(api.DELETE('/api/v1/api-keys/{key_id}', { params: { path: { key_id: keyId } } })),
    onSettled: () => client.invalidateQueries({ queryKey: apiKeysKey }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST('/api/v1/auth/password', { body })),
  });
}
