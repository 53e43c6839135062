/** The audit log, newest first, paged backwards with `before_id`. */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap, type AuditPage, type AuditQuery } from '@/api';

export interface AuditFilters {
  action: string;
  actorId: string;
  /** A local calendar day, `YYYY-MM-DD`, or ''. */
  from: string;
  /** The last local calendar day included, `YYYY-MM-DD`, or ''. */
  to: string;
}

export const AUDIT_PAGE = 50;

/** Actions the server records (audit.record calls); the filter also takes any other name. */
export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.refresh_reused',
  'backup.created',
  'backup.restored',
  'invite.created',
  'invite.used',
  'job.deleted',
  'job.media_deleted',
  'job.queued',
  'settings.changed',
  'upload.rejected',
  'user.created',
  'user.deleted',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'user.password_reset',
  'user.quota_changed',
  'user.role_changed',
  'webhook.created',
  'webhook.deleted',
  'webhook.updated',
] as const;

/** Midnight at the start of a local `YYYY-MM-DD`, plus `days`, as an ISO instant; null for ''. */
export function localDayStart(day: string, days = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The API query for the filters: `to` includes its whole day. */
export function auditQuery(filters: AuditFilters): AuditQuery {
  const since = localDayStart(filters.from);
  const until = localDayStart(filters.to, 1);
  return {
    ...(filters.action.trim() ? { action: filters.action.trim() } : {}),
    ...(filters.actorId ? { actor_id: filters.actorId } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ['admin', 'audit', filters] as const,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/admin/audit', {
          params: {
            query: { ...auditQuery(filters), limit: AUDIT_PAGE, ...(pageParam ? { before_id: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as number | null,
    getNextPageParam: (last: AuditPage) => last.next_before_id ?? null,
    placeholderData: keepPreviousData,
  });
}
