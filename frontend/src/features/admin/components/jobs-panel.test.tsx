import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { makeUser } from '@/test/admin-fixtures';
import { fakeApi, makeJob } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AdminJobsPanel } from './jobs-panel';

const BOB = makeUser();
const CAROL = makeUser({ id: '00000000-0000-4000-8000-0000000000c0', email: 'carol@example.com' });

describe('AdminJobsPanel', () => {
  it('lists everyone’s jobs, filters by owner and status, and pages with the cursor', async () => {
    const mine = makeJob({ filename: 'bob-talk.mp3' });
    const older = makeJob({ filename: 'bob-old.mp3', status: 'failed', error: 'The file has no audio.' });
    const carols = makeJob({ filename: 'carol-memo.m4a' });
    const { calls } = fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [BOB, CAROL] }),
      'GET /api/v1/admin/jobs': ({ query }) => {
        if (query.get('owner_id') === BOB.id) {
          return query.get('cursor') === 'next'
            ? { body: { items: [older], next_cursor: null } }
            : { body: { items: [mine], next_cursor: 'next' } };
        }
        return { body: { items: [mine, carols], next_cursor: null } };
      },
    });
    renderWithProviders(<AdminJobsPanel />, { route: '/admin/jobs' });
    const link = await screen.findByRole('link', { name: 'carol-memo.m4a' });
    expect(link).toHaveAttribute('href', `/admin/jobs/${carols.id}`);
    expect(screen.getAllByTestId('admin-job-row')).toHaveLength(2);

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Owner' }), 'bob@example.com');
    await waitFor(() => expect(screen.queryByRole('link', { name: 'carol-memo.m4a' })).toBeNull());
    expect(calls.at(-1)?.query.get('owner_id')).toBe(BOB.id);
    expect(screen.getByRole('table', { name: /Jobs of bob@example.com/ })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    const failed = await screen.findByRole('row', { name: /bob-old.mp3/ });
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('The file has no audio.');
    expect(calls.at(-1)?.query.get('cursor')).toBe('next');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Failed');
    await waitFor(() => expect(calls.at(-1)?.query.get('status')).toBe('failed'));
    expect(calls.at(-1)?.query.get('owner_id')).toBe(BOB.id);
  });

  it('starts filtered by the owner in the address (a user’s “Their jobs” link)', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [BOB, CAROL] }),
      'GET /api/v1/admin/jobs': () => ({ body: { items: [], next_cursor: null } }),
    });
    renderWithProviders(<AdminJobsPanel />, { route: `/admin/jobs?owner=${CAROL.id}` });
    expect(await screen.findByText('No matching jobs')).toBeInTheDocument();
    expect(await screen.findByText('No jobs of carol@example.com.')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Owner' })).toHaveValue(CAROL.id);
    expect(calls.find((c) => c.path === '/api/v1/admin/jobs')?.query.get('owner_id')).toBe(CAROL.id);
  });

  it('asks before deleting someone’s job, then deletes it through the admin route', async () => {
    const job = makeJob({ filename: 'private.wav' });
    let deleted = false;
    const { calls } = fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [BOB] }),
      'GET /api/v1/admin/jobs': () => ({ body: { items: deleted ? [] : [job], next_cursor: null } }),
      'DELETE /api/v1/admin/jobs/:id': () => {
        deleted = true;
        return { status: 204 };
      },
    });
    renderWithProviders(<AdminJobsPanel />, { route: '/admin/jobs' });
    await userEvent.click(await screen.findByRole('button', { name: 'Delete private.wav' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete private.wav?' });
    expect(dialog).toHaveTextContent('someone else’s job');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Delete private.wav' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Delete private.wav?' })).getByRole('button', { name: 'Delete job' }),
    );
    expect(await screen.findByText('No jobs on this server yet')).toBeInTheDocument();
    expect(await screen.findByText('private.wav deleted')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe(`/api/v1/admin/jobs/${job.id}`);
  });

  it('shows the server’s sentence when the list fails', async () => {
    fakeApi({
      'GET /api/v1/admin/users': () => ({ body: [] }),
      'GET /api/v1/admin/jobs': () => ({ status: 400, body: { detail: 'The cursor is not valid.' } }),
    });
    renderWithProviders(<AdminJobsPanel />, { route: '/admin/jobs' });
    expect(await screen.findByRole('alert')).toHaveTextContent('The cursor is not valid.');
  });
});
