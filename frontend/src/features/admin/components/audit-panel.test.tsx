import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@/api';
import { makeUser } from '@/test/admin-fixtures';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { localDayStart } from '../api/audit';
import { AuditPanel } from './audit-panel';

const ADMIN = makeUser({ id: '00000000-0000-4000-8000-0000000000a0', email: 'admin@example.com', role: 'admin' });
const BOB = makeUser();

function event(id: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    created_at: new Date(Date.now() - id * 60_000).toISOString(),
    action: 'auth.login',
    actor_id: ADMIN.id,
    actor_email: ADMIN.email,
    target_type: null,
    target_id: null,
    ip: '127.0.0.1',
    user_agent: null,
    details: {},
    ...overrides,
  };
}

describe('AuditPanel', () => {
  it('shows who did what to whom, and loads older entries with before_id', async () => {
    const quota = event(30, {
      action: 'user.quota_changed',
      target_type: 'user',
      target_id: BOB.id,
      details: { quota_audio_minutes_per_month: 500 },
    });
    const cli = event(29, { action: 'backup.created', actor_id: null, actor_email: null, ip: null });
    const older = event(5, {
      action: 'job.deleted',
      target_type: 'job',
      target_id: 'f00dcafe-0000-4000-8000-000000000001',
    });
    const { calls } = fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [ADMIN, BOB] }),
      'GET /api/v1/admin/audit': ({ query }) =>
        query.get('before_id') === '29'
          ? { body: { items: [older], next_before_id: null } }
          : { body: { items: [quota, cli], next_before_id: 29 } },
    });
    renderWithProviders(<AuditPanel />, { route: '/admin/audit' });

    const quotaRow = await screen.findByRole('row', { name: /user\.quota_changed/ });
    expect(quotaRow).toHaveTextContent('admin@example.com');
    expect(await within(quotaRow).findByText('user bob@example.com')).toBeInTheDocument(); // the target's email
    expect(quotaRow).toHaveTextContent('quota_audio_minutes_per_month500');
    expect(screen.getByRole('row', { name: /backup\.created/ })).toHaveTextContent('The server');

    await userEvent.click(screen.getByRole('button', { name: 'Load older' }));
    const deleted = await screen.findByRole('row', { name: /job\.deleted/ });
    expect(within(deleted).getByRole('link', { name: 'job f00dcafe' })).toHaveAttribute(
      'href',
      '/admin/jobs/f00dcafe-0000-4000-8000-000000000001',
    );
    expect(calls.at(-1)?.query.get('before_id')).toBe('29');
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('filters by action, actor and days (the last day included)', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [ADMIN, BOB] }),
      'GET /api/v1/admin/audit': ({ query }) => ({
        body: { items: query.get('action') ? [] : [event(1)], next_before_id: null },
      }),
    });
    renderWithProviders(<AuditPanel />, { route: '/admin/audit' });
    await screen.findByRole('row', { name: /auth\.login/ });
    const last = () => calls.filter((c) => c.path === '/api/v1/admin/audit').at(-1)?.query;

    await userEvent.selectOptions(await screen.findByRole('combobox', { name: 'Done by' }), 'bob@example.com');
    await waitFor(() => expect(last()?.get('actor_id')).toBe(BOB.id));

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03-01' } });
    fireEvent.change(screen.getByLabelText('To (included)'), { target: { value: '2026-03-31' } });
    await waitFor(() => expect(last()?.get('until')).toBe(new Date(2026, 3, 1).toISOString()));
    expect(last()?.get('since')).toBe(new Date(2026, 2, 1).toISOString());

    await userEvent.type(screen.getByRole('combobox', { name: 'Action' }), 'user.deleted');
    await waitFor(() => expect(last()?.get('action')).toBe('user.deleted'));
    expect(last()?.get('actor_id')).toBe(BOB.id);
    expect(await screen.findByText('No matching entries')).toBeInTheDocument();
  });

  it('reads a day as local midnight, and nothing for an empty or broken day', () => {
    expect(localDayStart('2026-01-31', 1)).toBe(new Date(2026, 1, 1).toISOString());
    expect(localDayStart('')).toBeNull();
    expect(localDayStart('31/01/2026')).toBeNull();
  });
});
