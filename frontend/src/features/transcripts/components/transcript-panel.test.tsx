import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { JFK_SEGMENTS, fakeApi, makeTranscript } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { TranscriptPanel } from './transcript-panel';

describe('TranscriptPanel', () => {
  it('plays the job media and seeks when a segment is clicked', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS) }) });
    renderWithProviders(<TranscriptPanel jobId="job-1" title="jfk.wav" jobStatus="completed" />);
    const audio = screen.getByTestId<HTMLAudioElement>('audio');
    expect(audio.src).toBe('http://api.test/api/v1/jobs/job-1/media');

    const segments = await screen.findAllByTestId('segment');
    await userEvent.click(within(segments[1]!).getByRole('button', { name: 'Play from 0:04' }));
    expect(audio.currentTime).toBe(4.5);

    // The player's time drives the highlight.
    act(() => {
      audio.currentTime = 6.7;
      audio.dispatchEvent(new Event('timeupdate'));
    });
    expect(segments[1]).toHaveAttribute('aria-current', 'true');
    expect(segments[1]!.querySelector('.word--active')).toHaveTextContent('country');
  });

  it('enables the downloads once the job is completed', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS) }) });
    renderWithProviders(<TranscriptPanel jobId="job-1" title="jfk.wav" jobStatus="completed" />);
    await screen.findAllByTestId('segment');
    const group = screen.getByRole('group', { name: 'Download the transcript' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['TXT', 'SRT', 'VTT', 'JSON', 'TSV', 'DOCX']);
    buttons.forEach((button) => expect(button).toBeEnabled());
  });

  it('while running: downloads wait, and the transcript grows as it is re-fetched', async () => {
    let calls = 0;
    fakeApi({
      'GET /api/v1/jobs/:id/transcript': () => {
        calls += 1;
        const segments = JFK_SEGMENTS.slice(0, Math.min(calls, 3));
        return { body: makeTranscript(segments, { status: 'running' }) };
      },
    });
    renderWithProviders(<TranscriptPanel jobId="job-2" title="jfk.wav" jobStatus="running" />);
    expect(await screen.findAllByTestId('segment')).toHaveLength(1);
    const group = screen.getByRole('group', { name: 'Download the transcript' });
    within(group)
      .getAllByRole('button')
      .forEach((button) => expect(button).toBeDisabled());
    await waitFor(() => expect(screen.getAllByTestId('segment').length).toBeGreaterThan(1), { timeout: 5000 });
    expect(screen.getByText(/More text is on its way/)).toBeInTheDocument();
  });

  it('says so while the job waits for a worker', async () => {
    fakeApi({
      'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript([], { status: 'queued' }) }),
    });
    renderWithProviders(<TranscriptPanel jobId="job-3" title="a.wav" jobStatus="queued" />);
    expect(await screen.findByText('Waiting for a worker')).toBeInTheDocument();
  });

  it('shows a readable error when the transcript cannot be read', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ status: 404, body: { detail: 'Job not found.' } }) });
    renderWithProviders(<TranscriptPanel jobId="gone" title="a.wav" jobStatus="completed" />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Job not found.');
  });
});
