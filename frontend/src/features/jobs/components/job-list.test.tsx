import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/test/render';
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
});
