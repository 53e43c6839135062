import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LiveUpdatesProvider } from '@/lib/live-provider';
import { JFK_SEGMENTS, fakeApi, makeTranscript } from '@/test/fake-api';
import { fakeSockets, liveEvent } from '@/test/fake-socket';
import { renderWithProviders, testQueryClient } from '@/test/render';
import { applyTranscriptEvent } from '../api/live';
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

  it('opens at a given time: the media waits there and that segment is in view and marked', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS) }) });
    const scroll = vi.fn();
    Element.prototype.scrollIntoView = scroll;
    renderWithProviders(<TranscriptPanel jobId="job-1" title="jfk.wav" jobStatus="completed" startAt={8.2} />);
    const segments = await screen.findAllByTestId('segment');
    expect(segments[2]).toHaveClass('segment--linked');
    expect(segments[0]).not.toHaveClass('segment--linked');
    expect(scroll).toHaveBeenCalledTimes(1);
    const audio = screen.getByTestId<HTMLAudioElement>('audio');
    act(() => {
      audio.dispatchEvent(new Event('loadedmetadata'));
    });
    expect(audio.currentTime).toBe(8.2);
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

  it('while running: downloads wait, and pushed segments appear one by one without re-fetching', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/jobs/:id/transcript': () => ({
        body: makeTranscript(JFK_SEGMENTS.slice(0, 1), { status: 'running' }),
      }),
    });
    const fake = fakeSockets();
    const client = testQueryClient();
    renderWithProviders(
      <LiveUpdatesProvider
        enabled
        onEvent={(event) => applyTranscriptEvent(client, event)}
        onResync={() => undefined}
        options={{ createSocket: fake.create, getToken: () => Promise.resolve('t'), url: 'ws://api.test/api/v1/ws' }}
      >
        <TranscriptPanel jobId="job-2" title="jfk.wav" jobStatus="running" />
      </LiveUpdatesProvider>,
      { client },
    );
    expect(await screen.findAllByTestId('segment')).toHaveLength(1);
    const group = screen.getByRole('group', { name: 'Download the transcript' });
    within(group)
      .getAllByRole('button')
      .forEach((button) => expect(button).toBeDisabled());
    await waitFor(() => expect(fake.sockets).toHaveLength(1));
    act(() => fake.last().open(0));
    for (const [id, start, text] of [
      [2, 4.5, 'ask not what your country can do for you,'],
      [3, 8.2, 'ask what you can do for your country.'],
    ] as const) {
      act(() =>
        fake
          .last()
          .message(liveEvent('job.segment', 'job-2', { id, idx: id - 1, start, end: start + 3, text, speaker: null })),
      );
      await waitFor(() => expect(screen.getAllByTestId('segment')).toHaveLength(id));
      expect(screen.getAllByTestId('segment')[id - 1]).toHaveTextContent(text);
    }
    expect(screen.getByText(/More text is on its way/)).toBeInTheDocument();
    expect(calls.filter((call) => call.path.endsWith('/transcript'))).toHaveLength(1);
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
