/** Admin endpoints: accounts and their usage, app settings, invites. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type AppSettings, type InviteCreate, type UserCreate, type UserUpdate } from '@/api';

export const usersKey = ['admin', 'users'] as const;
/** Under usersKey: whatever changes the accounts refreshes their usage too. */
export const userStatsKey = (id: string) => [...usersKey, id, 'stats'] as const;
export const settingsKey = ['admin', 'settings'] as const;

export function useUsers() {
  return useQuery({
    queryKey: usersKey,
    queryFn: () => unwrap(api.GET('/api/v1/admin/users', { params: { query: { limit: 500 } } })),
  });
}

/** One account's usage against the quotas in force for it. */
export function useUserStats(id: string) {
  return useQuery({
    queryKey: userStatsKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/admin/users/{user_id}/stats', { params: { path: { user_id: id } }, signal })),
  });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST('/api/v1/admin/users', { body })),
    onSettled: () => client.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UserUpdate }) =>
      unwrap(api.PATCH('/api/v1/admin/users/{user_id}', { params: { path: { user_id: id } }, body: changes })),
    onSettled: () => client.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useDeleteUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE('/api/v1/admin/users/{user_id}', { params: { path: { user_id: id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useAppSettings() {
  return useQuery({ queryKey: settingsKey, queryFn: () => unwrap(api.GET('/api/v1/admin/settings')) });
}

export function useUpdateAppSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<AppSettings>) => unwrap(api.PATCH('/api/v1/admin/settings', { body })),
    onSuccess: (settings) => client.setQueryData(settingsKey, settings),
  });
}

export function useCreateInvite() {
  return useMutation({
    mutationFn: (body: InviteCreate) => unwrap(api.POST('/api/v1/admin/invites', { body })),
  });
}
