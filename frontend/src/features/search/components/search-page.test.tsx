import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '@/api';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { SearchPage } from './search-page';

function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    job_id: '00000000-0000-4000-8000-000000000001',
    filename: 'inaugural.wav',
    segment_id: 2,
    start: 4.5,
    end: 8,
    speaker: null,
    snippet: 'ask not what your <mark>country</mark> can do for you,',
    score: -3.2,
    ...overrides,
  };
}

describe('SearchPage', () => {
  it('searches as one types and shows each hit with its recording, time and highlighted words', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/search': () => ({
        body: {
          items: [
            hit(),
            hit({
              job_id: 'j2',
              filename: 'talk.mp3',
              segment_id: 9,
              start: 3725.2,
              speaker: 'Anna',
              snippet: 'my <mark>country</mark> &amp; yours',
            }),
          ],
          next_cursor: null,
        },
      }),
    });
    renderWithProviders(<SearchPage />, { route: '/search' });
    expect(screen.getByText('Find the moment someone said it')).toBeInTheDocument();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search your transcripts' }), 'country');
    const results = await screen.findAllByTestId('search-result');
    expect(
      calls
        .filter((c) => c.path === '/api/v1/search')
        .at(-1)
        ?.query.get('q'),
    ).toBe('country');
    expect(results).toHaveLength(2);

    const first = within(results[0]!).getByRole('link', { name: 'inaugural.wav at 0:04' });
    expect(first).toHaveAttribute('href', '/jobs/00000000-0000-4000-8000-000000000001?t=4.5');
    expect(results[0]!.querySelector('mark')).toHaveTextContent('country');
    expect(within(results[1]!).getByRole('link', { name: 'talk.mp3 at 1:02:05' })).toHaveAttribute(
      'href',
      '/jobs/j2?t=3725.2',
    );
    expect(results[1]).toHaveTextContent('Anna');
    expect(results[1]).toHaveTextContent('my country & yours');
  });

  it('renders snippet markup from a transcript as text, never as HTML', async () => {
    fakeApi({
      'GET /api/v1/search': () => ({
        body: {
          items: [hit({ snippet: '&lt;img src=x onerror=alert(1)&gt; <mark>country</mark>' })],
          next_cursor: null,
        },
      }),
    });
    renderWithProviders(<SearchPage />, { route: '/search?q=country' });
    const [result] = await screen.findAllByTestId('search-result');
    expect(result!.querySelector('img')).toBeNull();
    expect(result).toHaveTextContent('<img src=x onerror=alert(1)> country');
  });

  it('starts from the query in the URL and pages with the cursor', async () => {
    const { calls } = fakeApi({
      'GET /api/v1/search': ({ query }) =>
        query.get('cursor')
          ? { body: { items: [hit({ segment_id: 3, start: 8.2 })], next_cursor: null } }
          : { body: { items: [hit()], next_cursor: 'next-1' } },
    });
    renderWithProviders(<SearchPage />, { route: '/search?q=%22my%20country%22' });
    expect(screen.getByRole('searchbox')).toHaveValue('"my country"');
    expect(await screen.findAllByTestId('search-result')).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'More results' }));
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(2));
    expect(calls.at(-1)?.query.get('cursor')).toBe('next-1');
    expect(calls.at(-1)?.query.get('q')).toBe('"my country"');
  });

  it('asks for a word instead of sending punctuation alone, and says when nothing matches', async () => {
    const { calls } = fakeApi({ 'GET /api/v1/search': () => ({ body: { items: [], next_cursor: null } }) });
    renderWithProviders(<SearchPage />, { route: '/search' });
    const box = screen.getByRole('searchbox');
    await userEvent.type(box, '"*"');
    expect(await screen.findByText('Type a word')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/v1/search')).toHaveLength(0);
    await userEvent.clear(box);
    await userEvent.type(box, 'zebra');
    expect(await screen.findByText('No matches')).toBeInTheDocument();
  });

  it('shows the server’s sentence when the search fails', async () => {
    fakeApi({
      'GET /api/v1/search': () => ({ status: 422, body: { detail: 'The query has no words to search for.' } }),
    });
    renderWithProviders(<SearchPage />, { route: '/search?q=x' });
    expect(await screen.findByRole('alert')).toHaveTextContent('The query has no words to search for.');
  });
});
