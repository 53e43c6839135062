/** The auth endpoints, and the signed-in account as a query. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Credentials, type Me, type TokenPair } from '@/api';
import { useSession } from '../lib/use-session';

export const meKey = ['auth', 'me'] as const;

export function login(body: Credentials): Promise<TokenPair> {
  return unwrap(api.POST('/api/v1/auth/login', { body }));
}

export function setupAdmin(body: Credentials): Promise<TokenPair> {
  return unwrap(api.POST('/api/v1/auth/setup', { body }));
}

export function register(body: Credentials & { invite?: string | null }): Promise<TokenPair> {
  return unwrap(api.POST('/api/v1/auth/register', { body }));
}

export function refreshTokens(refreshToken: string): Promise<TokenPair> {
  return unwrap(api.POST('/api/v1/auth/refresh', { body: { refresh_token: refreshToken } }));
}

export async function logout(): Promise<void> {
  await unwrap(api.POST('/api/v1/auth/logout'));
}

export function fetchMe(): Promise<Me> {
  return unwrap(api.GET('/api/v1/auth/me'));
}

/** Who is signed in (email, role); only asked while there is a session. */
export function useMe() {
  const { status } = useSession();
  return useQuery({ queryKey: meKey, queryFn: fetchMe, enabled: status === 'signed-in', staleTime: 60_000 });
}
