import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GIB, makeStats } from '@/test/admin-fixtures';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { UsagePanel } from './usage-panel';

describe('UsagePanel', () => {
  it('shows my usage against my quotas, a full one in the danger colour, none where there is no limit', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/stats': () => ({
        body: makeStats({
          storage_bytes: 5 * GIB,
          audio_minutes_this_month: 30,
          quota: { storage_bytes: 5 * GIB, audio_minutes_per_month: 120, concurrent_jobs: null },
        }),
      }),
    });
    renderWithProviders(<UsagePanel />);
    const [storage, audio, jobs] = await screen.findAllByTestId('usage-meter');
    expect(storage).toHaveTextContent('5.0 GB of 5.0 GB');
    expect(within(storage!).getByRole('progressbar', { name: 'Storage: 100% of the quota used' })).toHaveClass(
      'progress--danger',
    );
    expect(audio).toHaveTextContent('30 min of 120 min');
    expect(within(audio!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
    expect(jobs).toHaveTextContent('1 · no limit');
    expect(within(jobs!).queryByRole('progressbar')).toBeNull();
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/stats']);
  });

  it('says when the usage cannot be loaded', async () => {
    fakeApi({ 'GET /api/v1/stats': () => ({ status: 500, body: { detail: 'Something went wrong on the server.' } }) });
    renderWithProviders(<UsagePanel />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Something went wrong on the server.');
  });
});
