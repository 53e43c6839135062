import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { JFK_SEGMENTS, fakeApi, makeJob, makeTranscript } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AdminJobRoute } from './admin-job';

function renderAt(jobId: string) {
  return renderWithProviders(
    <Routes>
      <Route path="/admin/jobs/:jobId" element={<AdminJobRoute />} />
      <Route path="/admin/jobs" element={<p>The list of everyone’s jobs</p>} />
    </Routes>,
    { route: `/admin/jobs/${jobId}` },
  );
}

describe('AdminJobRoute', () => {
  it('shows someone else’s job read-only, with its transcript and media from the admin routes', async () => {
    const job = makeJob({ filename: 'their-interview.wav' });
    const { calls } = fakeApi({
      'GET /api/v1/admin/jobs/:id': () => ({ body: job }),
      'GET /api/v1/admin/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS, { job_id: job.id }) }),
    });
    renderAt(job.id);
    expect(await screen.findByRole('heading', { level: 1, name: 'their-interview.wav' })).toBeInTheDocument();
    expect(screen.getByText('Someone else’s job, read-only')).toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'Transcript segments' })).toHaveTextContent(
      'ask not what your country can do for you',
    );
    expect(screen.getByTestId('audio')).toHaveAttribute('src', `http://api.test/api/v1/admin/jobs/${job.id}/media`);
    // Nothing to change here: no owner's actions, no editing.
    expect(screen.queryByRole('button', { name: /Cancel|Retry|Edit|Share/ })).toBeNull();
    expect(calls.every((c) => c.path.startsWith('/api/v1/admin/'))).toBe(true);
  });

  it('deletes the job after a question and goes back to the list', async () => {
    const job = makeJob({ filename: 'spam.mp3', status: 'failed', error: 'No speech.' });
    const { calls } = fakeApi({
      'GET /api/v1/admin/jobs/:id': () => ({ body: job }),
      'GET /api/v1/admin/jobs/:id/transcript': () => ({ body: makeTranscript([], { status: 'failed' }) }),
      'DELETE /api/v1/admin/jobs/:id': () => ({ status: 204 }),
    });
    renderAt(job.id);
    expect(await screen.findByText('No transcript')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Delete spam.mp3' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Delete spam.mp3?' })).getByRole('button', { name: 'Delete job' }),
    );
    expect(await screen.findByText('The list of everyone’s jobs')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe(`/api/v1/admin/jobs/${job.id}`);
  });

  it('says when the job is gone', async () => {
    fakeApi({ 'GET /api/v1/admin/jobs/:id': () => ({ status: 404, body: { detail: 'Job not found.' } }) });
    renderAt('00000000-0000-4000-8000-00000000dead');
    expect(await screen.findByText('Job not found')).toBeInTheDocument();
  });
});
