import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Share } from '@/api';
import { JFK_SEGMENTS, fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { SharePanel } from './share-panel';
import { SharedTranscriptPage } from './shared-transcript-page';

const DAY = 86_400_000;

describe('SharePanel', () => {
  it('makes a link with an expiry and the audio, shows it once, lists and revokes links', async () => {
    let shares: Share[] = [
      {
        id: 'old',
        include_media: false,
        expires_at: new Date(Date.now() - DAY).toISOString(),
        revoked_at: null,
        created_at: new Date(Date.now() - 3 * DAY).toISOString(),
      },
    ];
    const { calls } = fakeApi({
      'GET /api/v1/jobs/:id/shares': () => ({ body: shares }),
      'POST /api/v1/jobs/:id/shares': ({ body }) => {
        const options = body as { expires_in_s: number | null; include_media: boolean };
        const share: Share = {
          id: 'new',
          include_media: options.include_media,
          expires_at: new Date(Date.now() + (options.expires_in_s ?? 0) * 1000).toISOString(),
          revoked_at: null,
          created_at: new Date().toISOString(),
        };
        shares = [share, ...shares];
        return {
          status: 201,
          body: { ...share, token: 'tok_secret/1', url: 'http://api.test/api/v1/shared/tok_secret%2F1' },
        };
      },
      'DELETE /api/v1/jobs/:id/shares/:sid': ({ path }) => {
        shares = shares.map((s) => (path.endsWith(`/${s.id}`) ? { ...s, revoked_at: new Date().toISOString() } : s));
        return { status: 204 };
      },
    });
    renderWithProviders(<SharePanel jobId="job-1" mediaAvailable />);
    expect(await screen.findByTestId('share-row')).toHaveAttribute('data-state', 'expired');
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();

    await userEvent.selectOptions(screen.getByLabelText('Expires after'), '1 day');
    await userEvent.click(screen.getByRole('checkbox', { name: /Include the audio/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    const link = await screen.findByTestId('share-link');
    // The web page of the link, on this origin, not the JSON behind it.
    expect(link).toHaveValue(`${window.location.origin}/shared/tok_secret%2F1`);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ expires_in_s: 86_400, include_media: true });
    await waitFor(() => expect(screen.getAllByTestId('share-row')).toHaveLength(2));
    const active = screen.getAllByTestId('share-row').find((row) => row.dataset.state === 'active')!;
    expect(active).toHaveTextContent('with the audio');

    await userEvent.click(within(active).getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke this link?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(screen.getAllByTestId('share-row').map((row) => row.dataset.state)).toEqual(['revoked', 'expired']),
    );
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/api/v1/jobs/job-1/shares/new')).toBe(true);
    expect(screen.queryByTestId('share-link')).toBeNull();
  });

  it('cannot include audio the server no longer keeps; "Never" sends no expiry', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/jobs/:id/shares': () => ({ body: [] }),
      'POST /api/v1/jobs/:id/shares': () => ({
        status: 409,
        body: { detail: 'Only a finished transcript can be shared.' },
      }),
    });
    renderWithProviders(<SharePanel jobId="job-1" mediaAvailable={false} />);
    expect(await screen.findByText('No links yet.')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: /Include the audio/ })).toBeDisabled();
    await userEvent.selectOptions(screen.getByLabelText('Expires after'), 'Never');
    await userEvent.click(screen.getByRole('button', { name: 'Create link' }));
    expect(await screen.findByText('Only a finished transcript can be shared.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ expires_in_s: null, include_media: false });
  });
});

describe('SharedTranscriptPage', () => {
  const shared = (includeMedia: boolean) => ({
    filename: 'jfk.wav',
    language: 'en',
    duration_s: 11,
    text: JFK_SEGMENTS.map((s) => s.text).join(' '),
    include_media: includeMedia,
    expires_at: null,
    segments: JFK_SEGMENTS.map((s) => ({ start: s.start, end: s.end, text: s.text, speaker: null, words: s.words })),
  });

  it('shows the transcript read-only, with its audio when the link includes it', async () => {
    const { calls } = fakeApi({ 'GET /api/v1/shared/:token': () => ({ body: shared(true) }) });
    renderWithProviders(<SharedTranscriptPage token="tok" />);
    expect(await screen.findByRole('heading', { level: 1, name: 'jfk.wav' })).toBeInTheDocument();
    expect(screen.getAllByTestId('segment')).toHaveLength(3);
    expect(screen.getByTestId<HTMLAudioElement>('audio').src).toBe('http://api.test/api/v1/shared/tok/media');
    expect(screen.queryByRole('button', { name: /^Edit the segment/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete|Retry|Cancel/ })).toBeNull();
    expect(screen.getByRole('link', { name: 'SRT' })).toHaveAttribute(
      'href',
      'http://api.test/api/v1/shared/tok/transcript.srt',
    );
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/shared/tok']);
  });

  it('says so when the link comes without audio', async () => {
    fakeApi({ 'GET /api/v1/shared/:token': () => ({ body: shared(false) }) });
    renderWithProviders(<SharedTranscriptPage token="tok" />);
    expect(await screen.findByText('Shared without the audio')).toBeInTheDocument();
    expect(screen.queryByTestId('audio')).toBeNull();
  });

  it('an expired, revoked or unknown link shows nothing but that', async () => {
    fakeApi({ 'GET /api/v1/shared/:token': () => ({ status: 404, body: { detail: 'Not found.' } }) });
    renderWithProviders(<SharedTranscriptPage token="gone" />);
    expect(await screen.findByText('This link shows nothing')).toBeInTheDocument();
    expect(screen.queryByTestId('segment')).toBeNull();
  });
});
