/** Accounts and usage as the admin API returns them. */
import type { Stats, User } from '@/api';

export const GIB = 1024 ** 3;

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: '00000000-0000-4000-8000-0000000000b0',
    email: 'bob@example.com',
    role: 'user',
    is_active: true,
    created_at: new Date(Date.now() - 86_400_000).toISOString(),
    last_login_at: null,
    quota_storage_bytes: null,
    quota_audio_minutes_per_month: null,
    quota_concurrent_jobs: null,
    ...overrides,
  };
}

export function makeStats(overrides: Partial<Stats> = {}): Stats {
  return {
    jobs_by_status: { completed: 3, failed: 1 },
    active_jobs: 1,
    audio_minutes_this_month: 12.5,
    storage_bytes: 2 * GIB,
    quota: { storage_bytes: 50 * GIB, audio_minutes_per_month: 10_000, concurrent_jobs: 50 },
    ...overrides,
  };
}
