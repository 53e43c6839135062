import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Quota, User, UserUpdate } from '@/api';
import { GIB, makeStats, makeUser } from '@/test/admin-fixtures';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { UsersPanel } from './users-panel';

const ADMIN = makeUser({ id: '00000000-0000-4000-8000-0000000000a0', email: 'admin@example.com', role: 'admin' });
const DEFAULTS: Quota = { storage_bytes: 50 * GIB, audio_minutes_per_month: 10_000, concurrent_jobs: 50 };

/** The server's rule: no override means the default; an override of 0 means no limit. */
function inForce(override: number | null, fallback: number | null): number | null {
  const value = override ?? fallback;
  return value ? value : null;
}

/** A server with the admin and Bob, whose PATCH and stats follow the real quota rules. */
function serverWith(bob: User) {
  let current = bob;
  const api = fakeApi({
    'GET /api/v1/admin/users': () => ({ body: [ADMIN, current] }),
    'GET /api/v1/admin/users/:id/stats': () => ({
      body: makeStats({
        quota: {
          storage_bytes: inForce(current.quota_storage_bytes, DEFAULTS.storage_bytes),
          audio_minutes_per_month: inForce(current.quota_audio_minutes_per_month, DEFAULTS.audio_minutes_per_month),
          concurrent_jobs: inForce(current.quota_concurrent_jobs, DEFAULTS.concurrent_jobs),
        },
      }),
    }),
    'PATCH /api/v1/admin/users/:id': ({ body }) => {
      current = { ...current, ...(body as UserUpdate) } as User;
      return { body: current };
    },
  });
  return api;
}

async function openBob() {
  renderWithProviders(<UsersPanel currentUserId={ADMIN.id} />);
  const toggle = await screen.findByRole('button', { name: 'Usage and quotas of bob@example.com' });
  expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await userEvent.click(toggle);
  expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const details = await screen.findByTestId('user-details');
  await within(details).findAllByTestId('usage-meter');
  return details;
}

describe('UsersPanel: usage and quotas', () => {
  it('opens a user to show their usage against the quotas in force, and what the defaults are', async () => {
    const { calls } = serverWith(makeUser());
    const details = await openBob();
    expect(calls.some((c) => c.path === '/api/v1/admin/users/00000000-0000-4000-8000-0000000000b0/stats')).toBe(true);

    const [storage, audio, jobs] = within(details).getAllByTestId('usage-meter');
    expect(storage).toHaveTextContent('2.0 GB of 50.0 GB');
    expect(within(storage!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '4');
    expect(audio).toHaveTextContent('12.5 min of 10,000 min');
    expect(jobs).toHaveTextContent('1 of 50');
    expect(details).toHaveTextContent('Jobs: 3 completed · 1 failed.');

    // No override: the default's value is known from the usage, and said in the choice.
    const storageLimit = within(details).getByRole('combobox', { name: 'Storage limit' });
    expect(storageLimit).toHaveValue('default');
    expect(within(storageLimit).getByRole('option', { name: 'Server default (50.0 GB)' })).toBeInTheDocument();
    expect(details).toHaveTextContent('TRANSCRIBER_QUOTAS__STORAGE_BYTES applies');
    expect(within(details).getByRole('link', { name: 'Their jobs' })).toHaveAttribute(
      'href',
      '/admin/jobs?owner=00000000-0000-4000-8000-0000000000b0',
    );
  });

  it('saves only the quotas that changed: a custom limit, and no limit as 0', async () => {
    const { calls } = serverWith(makeUser());
    const details = await openBob();

    await userEvent.selectOptions(within(details).getByRole('combobox', { name: 'Audio per month limit' }), 'limit');
    const minutes = within(details).getByRole('spinbutton', { name: 'Audio per month in minutes' });
    expect(minutes).toHaveValue(10_000); // starts from what is in force
    await userEvent.clear(minutes);
    await userEvent.type(minutes, '500');
    await userEvent.selectOptions(within(details).getByRole('combobox', { name: 'Jobs at once limit' }), 'unlimited');
    await userEvent.click(within(details).getByRole('button', { name: 'Save quotas' }));

    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      quota_audio_minutes_per_month: 500,
      quota_concurrent_jobs: 0,
    });
    expect(await screen.findByText('Quotas of bob@example.com saved')).toBeInTheDocument();
    // The usage is read again and shows the new limits in force.
    await waitFor(() => expect(screen.getAllByTestId('usage-meter')[1]).toHaveTextContent('12.5 min of 500 min'));
    expect(screen.getAllByTestId('usage-meter')[2]).toHaveTextContent('1 · no limit');
    expect(screen.getByRole('combobox', { name: 'Audio per month limit' })).toHaveValue('limit');
  });

  it('stores storage in bytes from gigabytes', async () => {
    const { calls } = serverWith(makeUser());
    const details = await openBob();
    await userEvent.selectOptions(within(details).getByRole('combobox', { name: 'Storage limit' }), 'limit');
    const gb = within(details).getByRole('spinbutton', { name: 'Storage in GB' });
    await userEvent.clear(gb);
    await userEvent.type(gb, '1.5');
    await userEvent.click(within(details).getByRole('button', { name: 'Save quotas' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ quota_storage_bytes: 1.5 * GIB }),
    );
  });

  it('goes back to the server default with null, and says what will apply', async () => {
    const { calls } = serverWith(makeUser({ quota_audio_minutes_per_month: 500 }));
    const details = await openBob();
    const limit = within(details).getByRole('combobox', { name: 'Audio per month limit' });
    expect(limit).toHaveValue('limit');
    // An override hides the default's value: the choice names the setting instead.
    expect(within(limit).getByRole('option', { name: 'Server default' })).toBeInTheDocument();

    await userEvent.selectOptions(limit, 'default');
    expect(details).toHaveTextContent(
      'After saving, the server’s setting TRANSCRIBER_QUOTAS__AUDIO_MINUTES_PER_MONTH applies instead',
    );
    await userEvent.click(within(details).getByRole('button', { name: 'Save quotas' }));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ quota_audio_minutes_per_month: null }),
    );
    await waitFor(() => expect(screen.getAllByTestId('usage-meter')[1]).toHaveTextContent('of 10,000 min'));
  });

  it('refuses a custom limit that is not above 0, without asking the server', async () => {
    const { calls } = serverWith(makeUser());
    const details = await openBob();
    await userEvent.selectOptions(within(details).getByRole('combobox', { name: 'Jobs at once limit' }), 'limit');
    const jobs = within(details).getByRole('spinbutton', { name: 'Jobs at once in jobs' });
    await userEvent.clear(jobs);
    await userEvent.type(jobs, '0');
    await userEvent.click(within(details).getByRole('button', { name: 'Save quotas' }));
    expect(await within(details).findByRole('alert')).toHaveTextContent('Enter a limit above 0 jobs');
    expect(jobs).toHaveAttribute('aria-invalid', 'true');
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('tells someone who is no longer an administrator why nothing shows', async () => {
    fakeApi({
      'GET /api/v1/admin/users': () => ({ status: 403, body: { detail: 'This needs an administrator account.' } }),
    });
    renderWithProviders(<UsersPanel currentUserId={ADMIN.id} />);
    expect(await screen.findByText('Administrators only')).toBeInTheDocument();
    expect(screen.getByText(/This needs an administrator account\./)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
