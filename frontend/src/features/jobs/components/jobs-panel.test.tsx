import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, makeJob } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { JobsPanel } from './jobs-panel';

describe('JobsPanel', () => {
  it('lists jobs from the API and loads more with the cursor', async () => {
    const first = [makeJob({ filename: 'a.mp3' }), makeJob({ filename: 'b.mp3' })];
    const second = [makeJob({ filename: 'c.mp3' })];
    const { calls } = fakeApi({
      'GET /api/v1/jobs': ({ query }) =>
        query.get('cursor') === 'page-2'
          ? { body: { items: second, next_cursor: null } }
          : { body: { items: first, next_cursor: 'page-2' } },
    });
    renderWithProviders(<JobsPanel />);
    expect(await screen.findByRole('link', { name: 'a.mp3' })).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(2);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'c.mp3' })).toBeInTheDocument();
    expect(screen.getAllByTestId('job-row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(calls.at(-1)?.query.get('cursor')).toBe('page-2');
  });

  it('filters by status and by file name or transcript text', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/jobs': ({ query }) => ({
        body: {
          items:
            query.get('status') === 'failed' && !query.get('q')
              ? [makeJob({ status: 'failed', filename: 'bad.wav' })]
              : [],
          next_cursor: null,
        },
      }),
    });
    renderWithProviders(<JobsPanel />);
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();

    const group = screen.getByRole('group', { name: 'Filter by status' });
    await userEvent.click(within(group).getByRole('button', { name: 'Failed' }));
    expect(await screen.findByRole('link', { name: 'bad.wav' })).toBeInTheDocument();
    expect(within(group).getByRole('button', { name: 'Failed' })).toHaveAttribute('aria-pressed', 'true');

    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter by file name or transcript text' }), 'zzz');
    await waitFor(() => expect(calls.at(-1)?.query.get('q')).toBe('zzz'));
    expect(calls.at(-1)?.query.get('status')).toBe('failed');
    // The server matches the file name or the transcript text; the page says which.
    expect(await screen.findByText(/with “zzz” in the file name or the transcript/)).toBeInTheDocument();
  });

  it('shows the API error as a sentence', async () => {
    fakeApi({ 'GET /api/v1/jobs': () => ({ status: 400, body: { detail: 'The cursor is not valid.' } }) });
    renderWithProviders(<JobsPanel />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The cursor is not valid.');
  });

  it('asks before deleting, then deletes', async () => {
    const job = makeJob({ filename: 'old.mp3' });
    let deleted = false;
    const { calls } = fakeApi({
      'GET /api/v1/jobs': () => ({ body: { items: deleted ? [] : [job], next_cursor: null } }),
      'DELETE /api/v1/jobs/:id': () => {
        deleted = true;
        return { status: 204 };
      },
    });
    renderWithProviders(<JobsPanel />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete old.mp3' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this job?' });
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Delete old.mp3' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.path === `/api/v1/jobs/${job.id}`)).toBe(true),
    );
    expect(await screen.findByText('No jobs yet')).toBeInTheDocument();
  });

  it('shows why an action failed', async () => {
    const job = makeJob({ status: 'running', progress: 0.3, filename: 'busy.mp3' });
    fakeApi({
      'GET /api/v1/jobs': () => ({ body: { items: [job], next_cursor: null } }),
      'POST /api/v1/jobs/:id/cancel': () => ({
        status: 409,
        body: { detail: 'The job is already completed and cannot be cancelled.' },
      }),
    });
    renderWithProviders(<JobsPanel />);
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel busy.mp3' }));
    expect(await screen.findByText('The job is already completed and cannot be cancelled.')).toBeInTheDocument();
  });
});
