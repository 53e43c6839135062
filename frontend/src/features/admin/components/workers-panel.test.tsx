import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Worker } from '@/api';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { WorkersPanel } from './workers-panel';

function worker(overrides: Partial<Worker> = {}): Worker {
  return {
    id: 'laptop:4242:ab12',
    host: 'laptop',
    pid: 4242,
    queues: ['cpu'],
    device: 'cpu',
    models: ['tiny.en'],
    concurrency: 2,
    current_jobs: ['0d15ea5e-0000-4000-8000-000000000001'],
    started_at: new Date(Date.now() - 3_600_000).toISOString(),
    last_heartbeat_at: new Date().toISOString(),
    alive: true,
    ...overrides,
  };
}

describe('WorkersPanel', () => {
  it('lists each worker: queues, models, what it runs and when it was last heard', async () => {
    fakeApi({
      'GET /api/v1/admin/workers': () => ({
        body: [
          worker(),
          worker({
            id: 'gpu-1:7:cd34',
            host: 'gpu-1',
            pid: 7,
            queues: ['gpu', 'cpu'],
            device: 'cuda',
            models: [],
            current_jobs: [],
            alive: false,
            last_heartbeat_at: new Date(Date.now() - 20 * 60_000).toISOString(),
          }),
        ],
      }),
    });
    renderWithProviders(<WorkersPanel />);
    const table = await screen.findByRole('table', { name: 'Worker processes' });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((th) => th.textContent);
    expect(headers).toEqual(['Worker', 'State', 'Queues', 'Device and models', 'Running', 'Last heard', 'Started']);

    const busy = screen.getByRole('row', { name: /laptop:4242/ });
    expect(busy).toHaveTextContent('Alive');
    expect(busy).toHaveTextContent('tiny.en');
    expect(busy).toHaveTextContent('1 of 2');
    expect(within(busy).getByRole('link', { name: 'job 0d15ea5e' })).toHaveAttribute(
      'href',
      '/admin/jobs/0d15ea5e-0000-4000-8000-000000000001',
    );
    const silent = screen.getByRole('row', { name: /gpu-1:7/ });
    expect(silent).toHaveTextContent('Silent');
    expect(silent).toHaveTextContent('gpu, cpu');
    expect(silent).toHaveTextContent('no model loaded');
    expect(silent).toHaveTextContent('20 minutes ago');
  });

  it('explains an empty list: jobs wait until a worker runs', async () => {
    fakeApi({ 'GET /api/v1/admin/workers': () => ({ body: [] }) });
    renderWithProviders(<WorkersPanel />);
    expect(await screen.findByText('No worker has reported')).toBeInTheDocument();
  });

  it('answers a 403 with a calm explanation rather than an error', async () => {
    fakeApi({
      'GET /api/v1/admin/workers': () => ({ status: 403, body: { detail: 'This needs an administrator account.' } }),
    });
    renderWithProviders(<WorkersPanel />);
    expect(await screen.findByText('Administrators only')).toBeInTheDocument();
  });
});
