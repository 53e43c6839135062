import { useEffect, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AuditEvent, User } from '@/api';
import { Button, EmptyState, Spinner } from '@/components';
import { formatDateTime, formatRelative, parseApiDate } from '@/lib/format';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { useUsers } from '../api/admin';
import { AUDIT_ACTIONS, useAudit, type AuditFilters } from '../api/audit';
import { withParam } from '../lib/url-filters';
import { AdminError } from './admin-error';
import { Panel, UserSelect } from './panel';

const PARAM: Record<keyof AuditFilters, string> = { action: 'action', actorId: 'actor', from: 'from', to: 'to' };

function detailText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function Details({ details }: { details: AuditEvent['details'] }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="audit-details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd className="break-anywhere">{detailText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function Target({ event, emails }: { event: AuditEvent; emails: Map<string, string> }) {
  if (!event.target_id) return <span className="muted">—</span>;
  const id = event.target_id;
  if (event.target_type === 'job') {
    return (
      <Link to={`/admin/jobs/${id}`} className="break-anywhere">
        job {id.slice(0, 8)}
      </Link>
    );
  }
  const email = event.target_type === 'user' ? emails.get(id) : undefined;
  return (
    <span className="break-anywhere" title={id}>
      {event.target_type ?? 'target'} {email ?? id}
    </span>
  );
}

function AuditRow({ event, emails }: { event: AuditEvent; emails: Map<string, string> }) {
  const at = parseApiDate(event.created_at);
  return (
    <tr data-testid="audit-row" data-action={event.action}>
      <td title={formatDateTime(at)}>
        <time dateTime={event.created_at}>{formatRelative(at)}</time>
        <span className="data-table__sub">{formatDateTime(at)}</span>
      </td>
      <th scope="row">
        <code>{event.action}</code>
      </th>
      <td className="break-anywhere">
        {event.actor_email ?? (event.actor_id ? 'A deleted account' : <span className="muted">The server</span>)}
      </td>
      <td className="data-table__wide">
        <Target event={event} emails={emails} />
      </td>
      <td className="data-table__wide">
        <Details details={event.details} />
      </td>
      <td>{event.ip ?? '—'}</td>
    </tr>
  );
}

function emailsOf(users: readonly User[] | undefined): Map<string, string> {
  return new Map((users ?? []).map((user) => [user.id, user.email]));
}

/** The audit log, newest first: who did what, filtered by action, actor and days; older rows on demand. */
export function AuditPanel() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const [actionText, setActionText] = useState(params.get(PARAM.action) ?? '');
  const action = useDebouncedValue(actionText, 300).trim();
  const filters: AuditFilters = {
    action: params.get(PARAM.action) ?? '',
    actorId: params.get(PARAM.actorId) ?? '',
    from: params.get(PARAM.from) ?? '',
    to: params.get(PARAM.to) ?? '',
  };
  const users = useUsers();
  const audit = useAudit(filters);
  const events = audit.data?.pages.flatMap((page) => page.items) ?? [];
  const emails = emailsOf(users.data);
  const filtered = Object.values(filters).some(Boolean);

  const setFilter = (name: keyof AuditFilters, value: string) =>
    setParams((current) => withParam(current, PARAM[name], value), { replace: true });

  // The typed action reaches the URL (and the server) once typing pauses.
  useEffect(() => {
    if ((params.get(PARAM.action) ?? '') !== action) {
      setParams((current) => withParam(current, PARAM.action, action), { replace: true });
    }
  }, [action, params, setParams]);

  return (
    <Panel
      title="Audit log"
      subtitle="Sign-ins, account and quota changes, deletions, backups and settings, newest first. Days are in your time zone."
      aside={
        audit.isFetching && !audit.isFetchingNextPage && !audit.isPending && <Spinner size={16} label="Refreshing" />
      }
    >
      <div className="admin-filters" role="group" aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            className="input"
            list={`${id}-actions`}
            placeholder="any action"
            autoComplete="off"
            value={actionText}
            maxLength={64}
            onChange={(e) => setActionText(e.target.value)}
          />
          <datalist id={`${id}-actions`}>
            {AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
        <UserSelect
          id={`${id}-actor`}
          label="Done by"
          anyone="Anyone"
          value={filters.actorId}
          users={users.data}
          loading={users.isPending}
          onChange={(value) => setFilter('actorId', value)}
        />
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input
            id={`${id}-from`}
            className="input"
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => setFilter('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To (included)</label>
          <input
            id={`${id}-to`}
            className="input"
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => setFilter('to', e.target.value)}
          />
        </div>
      </div>
      {audit.isPending ? (
        <div className="loading-block">
          <Spinner size={22} label="Loading the audit log" />
        </div>
      ) : audit.isError && events.length === 0 ? (
        <AdminError
          title="The audit log could not be loaded"
          error={audit.error}
          onRetry={() => void audit.refetch()}
        />
      ) : events.length === 0 ? (
        <EmptyState icon="history" title={filtered ? 'No matching entries' : 'Nothing recorded yet'}>
          {filtered ? 'Nothing was recorded with these filters. Widen the days or clear a filter.' : null}
        </EmptyState>
      ) : (
        <>
          <div className="data-table__wrap">
            <table className="data-table">
              <caption className="visually-hidden">Audit log entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Done by</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                  <th scope="col">From address</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <AuditRow key={event.id} event={event} emails={emails} />
                ))}
              </tbody>
            </table>
          </div>
          {audit.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void audit.fetchNextPage()} busy={audit.isFetchingNextPage}>
                Load older
              </Button>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
