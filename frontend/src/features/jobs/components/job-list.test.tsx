import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders, testQueryClient } from '@/test/render';
import { jobKeys } from '../api/jobs';
import type { JobRequeue } from '../api/live';
import { requeueText } from '../utils';
import { JobSummary } from './job-summary';
import { makeJob } from '@/test/fake-api';
import { JobList } from './job-list';

describe('JobList', () => {
  const jobs = [
    makeJob({ status: 'queued', progress: 0, filename: 'interview.m4a', duration_s: 3725 }),
    makeJob({ status: 'running', progress: 0.42, filename: 'lecture.mp4', duration_s: 245 }),
    makeJob({ status: 'completed', filename: 'jfk.wav', duration_s: 11 }),
    makeJob({
      status: 'failed',
      filename: 'noise.bin',
      duration_s: null,
      error: 'The file is not audio we can decode.',
    }),
    makeJob({ status: 'cancelled', filename: 'podcast.ogg' }),
  ];

  it('shows every job with its status, duration and a link to its page', () => {
    renderWithProviders(<JobList jobs={jobs} />);
    const rows = screen.getAllByTestId('job-row');
    expect(rows).toHaveLength(5);
    expect(rows.map((row) => row.dataset.status)).toEqual(['queued', 'running', 'completed', 'failed', 'cancelled']);

    const [queued, running, completed, failed, cancelled] = rows.map((row) => within(row));
    expect(queued?.getByText('Queued')).toBeInTheDocument();
    expect(queued?.getByText('1 h 02 min')).toBeInTheDocument();
    expect(running?.getByText('Transcribing')).toBeInTheDocument();
    expect(completed?.getByText('Completed')).toBeInTheDocument();
    expect(completed?.getByText('11 s')).toBeInTheDocument();
    expect(failed?.getByText('Failed')).toBeInTheDocument();
    expect(failed?.getByText('—')).toBeInTheDocument();
    expect(cancelled?.getByText('Cancelled')).toBeInTheDocument();

    const link = completed?.getByRole('link', { name: 'jfk.wav' });
    expect(link).toHaveAttribute('href', `/jobs/${jobs[2]?.id ?? ''}`);
    expect(completed?.getByText('5 minutes ago')).toBeInTheDocument();
  });

  it('shows progress while running and a waiting bar while queued', () => {
    renderWithProviders(<JobList jobs={jobs} />);
    const running = within(screen.getAllByTestId('job-row')[1]!);
    const bar = running.getByRole('progressbar');
    expect(bar).toHaveAttribute('aria-valuenow', '42');
    expect(running.getByText('42%')).toBeInTheDocument();
    const queued = within(screen.getAllByTestId('job-row')[0]!);
    expect(queued.getByRole('progressbar')).toHaveAttribute('aria-valuetext', 'Waiting');
    const completed = within(screen.getAllByTestId('job-row')[2]!);
    expect(completed.queryByRole('progressbar')).toBeNull();
  });

  it('shows the reason of a failure', () => {
    renderWithProviders(<JobList jobs={jobs} />);
    expect(screen.getByText('The file is not audio we can decode.')).toBeInTheDocument();
  });

  it('says when a stopped job kept a partial transcript', () => {
    renderWithProviders(<JobList jobs={[makeJob({ status: 'cancelled', partial: true, filename: 'half.mp3' })]} />);
    expect(screen.getByTestId('job-row')).toHaveTextContent('partial transcript');
  });

  it('offers the actions that fit each status', () => {
    renderWithProviders(<JobList jobs={jobs} />);
    expect(screen.getByRole('button', { name: 'Cancel interview.m4a' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel lecture.mp4' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Cancel jfk.wav' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry jfk.wav' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Retry noise.bin' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry podcast.ogg' })).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Delete / })).toHaveLength(5);
  });

  it('says why a job went back to the queue, in its row and on its page', () => {
    const job = makeJob({ status: 'queued', progress: 0, filename: 'retry.wav', attempts: 1 });
    const client = testQueryClient();
    client.setQueryData<JobRequeue>(jobKeys.requeue(job.id), {
      reason: 'The worker running it stopped answering',
      attempts: 1,
      retry_at: null,
    });
    renderWithProviders(
      <>
        <JobList jobs={[job, makeJob({ status: 'queued', filename: 'plain.wav' })]} />
        <JobSummary job={job} />
      </>,
      { client },
    );
    const sentence = 'Queued again after 1 try: The worker running it stopped answering.';
    expect(screen.getAllByTestId('job-requeue').map((note) => note.textContent)).toEqual([sentence]);
    expect(screen.getByTestId('job-pace')).toHaveTextContent(sentence);
  });

  it('shows the reason the server keeps when this tab did not hear it (after a reload)', () => {
    const waiting = makeJob({
      status: 'queued',
      filename: 'again.wav',
      attempts: 2,
      queue_reason: 'The worker running this job stopped responding; it runs again.',
    });
    const running = makeJob({ status: 'running', filename: 'now.wav', queue_reason: null });
    renderWithProviders(<JobList jobs={[waiting, running]} />);
    expect(screen.getAllByTestId('job-requeue').map((note) => note.textContent)).toEqual([
      'Queued again after 2 tries: The worker running this job stopped responding; it runs again.',
    ]);
  });
});

describe('requeueText', () => {
  it('names the tries, the reason and when the next try may start', () => {
    expect(requeueText({ reason: 'Retried by its owner.', attempts: 0, retry_at: null })).toBe(
      'Queued again: Retried by its owner.',
    );
    const at = new Date(2026, 10, 27, 14, 5);
    expect(requeueText({ reason: 'A passing fault', attempts: 2, retry_at: at.toISOString() }, 'en-GB')).toBe(
      'Queued again after 2 tries: A passing fault. Next try at 14:05.',
    );
  });
});
