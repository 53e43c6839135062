import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Segment, SegmentVersion } from '@/api';
import { JFK_SEGMENTS, fakeApi, makeTranscript } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { TranscriptPanel } from './transcript-panel';

const ME = '11111111-1111-4111-8111-111111111111';

/** A server that keeps the transcript and applies edits like the real one. */
function editableServer(initial: Segment[] = JFK_SEGMENTS) {
  let segments = initial.map((segment) => ({ ...segment }));
  const original = new Map(initial.map((segment) => [segment.id, { ...segment }]));
  const versions = new Map<number, SegmentVersion[]>();
  const idOf = (path: string) => Number(/segments\/(\d+)/.exec(path)?.[1]);
  const api = fakeApi({
    'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(segments, { job_id: 'job-1' }) }),
    'PATCH /api/v1/jobs/:id/transcript/segments/:sid': ({ path, body }) => {
      const edit = body as { text?: string; speaker?: string | null };
      if (edit.text !== undefined && edit.text.trim() === '') {
        return { status: 422, body: { detail: 'The text cannot be empty.' } };
      }
      const id = idOf(path);
      segments = segments.map((s) =>
        s.id === id
          ? {
              ...s,
              ...(edit.text !== undefined ? { text: edit.text, words: null } : {}),
              ...('speaker' in edit ? { speaker: edit.speaker } : {}),
            }
          : s,
      );
      const segment = segments.find((s) => s.id === id);
      const list = versions.get(id) ?? [
        {
          id: 1,
          kind: 'machine',
          text: original.get(id)?.text ?? '',
          speaker: null,
          editor_id: null,
          created_at: '2026-01-01T10:00:00Z',
        },
      ];
      list.push({
        id: list.length + 1,
        kind: 'edit',
        text: segment?.text ?? '',
        speaker: segment?.speaker ?? null,
        editor_id: ME,
        created_at: '2026-01-02T10:00:00Z',
      });
      versions.set(id, list);
      return { body: segment };
    },
    'GET /api/v1/jobs/:id/transcript/segments/:sid/versions': ({ path }) => {
      const id = idOf(path);
      return {
        body: versions.get(id) ?? [
          {
            id: null,
            kind: 'machine',
            text: original.get(id)?.text ?? '',
            speaker: null,
            editor_id: null,
            created_at: null,
          },
        ],
      };
    },
    'POST /api/v1/jobs/:id/transcript/segments/:sid/revert': ({ path }) => {
      const id = idOf(path);
      const back = original.get(id);
      segments = segments.map((s) => (s.id === id && back ? { ...back } : s));
      versions.get(id)?.push({
        id: 9,
        kind: 'revert',
        text: back?.text ?? '',
        speaker: null,
        editor_id: ME,
        created_at: '2026-01-03T10:00:00Z',
      });
      return { body: back };
    },
    'POST /api/v1/jobs/:id/transcript/speakers/rename': ({ body }) => {
      const { from, to } = body as { from: string; to: string };
      let renamed = 0;
      segments = segments.map((s) => {
        if (s.speaker !== from) return s;
        renamed += 1;
        return { ...s, speaker: to };
      });
      return { body: { renamed } };
    },
  });
  return api;
}

function renderPanel(status: 'completed' | 'running' = 'completed') {
  return renderWithProviders(<TranscriptPanel jobId="job-1" title="jfk.wav" jobStatus={status} meId={ME} />);
}

describe('editing a transcript', () => {
  it('edits a segment’s text in place and sends only the text', async () => {
    const { calls } = editableServer();
    renderPanel();
    const segments = await screen.findAllByTestId('segment');
    await userEvent.click(within(segments[1]!).getByRole('button', { name: 'Edit the segment at 0:04' }));
    const box = within(segments[1]!).getByLabelText('Text of the segment at 0:04');
    expect(box).toHaveValue('ask not what your country can do for you,');
    await userEvent.clear(box);
    await userEvent.type(box, 'ask not what your Country can do for you,');
    await userEvent.click(within(segments[1]!).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getAllByTestId('segment')[1]).toHaveTextContent('your Country can'));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/api/v1/jobs/job-1/transcript/segments/2');
    expect(patch?.body).toEqual({ text: 'ask not what your Country can do for you,' });
    // The edited text has no word timings any more: shown as plain text.
    expect(screen.getAllByTestId('segment')[1]!.querySelectorAll('.word')).toHaveLength(0);
  });

  it('sets a speaker with Ctrl+Enter, and Escape leaves without saving', async () => {
    const { calls } = editableServer();
    renderPanel();
    const segments = await screen.findAllByTestId('segment');
    await userEvent.click(within(segments[0]!).getByRole('button', { name: 'Edit the segment at 0:00' }));
    await userEvent.type(within(segments[0]!).getByLabelText('Speaker'), 'Kennedy{Control>}{Enter}{/Control}');
    await waitFor(() => expect(within(screen.getAllByTestId('segment')[0]!).getByText('Kennedy')).toBeInTheDocument());
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ speaker: 'Kennedy' });

    await userEvent.click(
      within(screen.getAllByTestId('segment')[2]!).getByRole('button', { name: /^Edit the segment/ }),
    );
    await userEvent.type(
      within(screen.getAllByTestId('segment')[2]!).getByLabelText(/Text of the segment/),
      ' more{Escape}',
    );
    expect(screen.queryByLabelText(/Text of the segment/)).toBeNull();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('shows the server’s reason when an edit is refused', async () => {
    editableServer();
    renderPanel();
    const segments = await screen.findAllByTestId('segment');
    await userEvent.click(within(segments[2]!).getByRole('button', { name: /^Edit the segment/ }));
    const box = within(segments[2]!).getByLabelText(/Text of the segment/);
    await userEvent.clear(box);
    await userEvent.type(box, '   ');
    // Blank text cannot even be sent.
    expect(within(segments[2]!).getByRole('button', { name: 'Save' })).toBeDisabled();
    await userEvent.type(box, 'x');
    await userEvent.clear(box);
    await userEvent.type(box, '  {Control>}{Enter}{/Control}');
    expect(await within(segments[2]!).findByRole('alert')).toHaveTextContent('The text cannot be empty.');
  });

  it('renames a speaker everywhere at once', async () => {
    const { calls } = editableServer(
      JFK_SEGMENTS.map((s, i) => ({ ...s, speaker: i === 1 ? 'SPEAKER_01' : 'SPEAKER_00' })),
    );
    renderPanel();
    await screen.findAllByTestId('segment');
    const speakers = screen.getByRole('group', { name: 'Speakers' });
    await userEvent.click(within(speakers).getByRole('button', { name: /SPEAKER_00/ }));
    const input = within(speakers).getByLabelText('New name for SPEAKER_00');
    await userEvent.clear(input);
    await userEvent.type(input, 'Kennedy');
    await userEvent.click(within(speakers).getByRole('button', { name: 'Rename everywhere' }));
    await waitFor(() => expect(screen.getAllByText('Kennedy', { selector: '.segment__speaker' })).toHaveLength(2));
    expect(calls.find((c) => c.path.endsWith('/speakers/rename'))?.body).toEqual({ from: 'SPEAKER_00', to: 'Kennedy' });
    expect(await screen.findByText(/is now “Kennedy” in 2 segments/)).toBeInTheDocument();
  });

  it('lists a segment’s versions and reverts to the machine’s original', async () => {
    const { calls } = editableServer();
    renderPanel();
    let segment = (await screen.findAllByTestId('segment'))[0]!;
    // Not edited yet: only the machine's version, nothing to revert.
    await userEvent.click(within(segment).getByRole('button', { name: 'Versions of the segment at 0:00' }));
    expect(await within(segment).findByText('Nobody has edited this segment.')).toBeInTheDocument();
    await userEvent.click(within(segment).getByRole('button', { name: 'Close' }));

    await userEvent.click(within(segment).getByRole('button', { name: 'Edit the segment at 0:00' }));
    const box = within(segment).getByLabelText('Text of the segment at 0:00');
    await userEvent.clear(box);
    await userEvent.type(box, 'And so, my fellow Americans,');
    await userEvent.click(within(segment).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getAllByTestId('segment')[0]).toHaveTextContent('And so, my fellow'));

    segment = screen.getAllByTestId('segment')[0]!;
    await userEvent.click(within(segment).getByRole('button', { name: 'Versions of the segment at 0:00' }));
    const versions = await within(segment).findAllByTestId('segment-version');
    expect(versions.map((v) => v.dataset.kind)).toEqual(['machine', 'edit']);
    expect(versions[1]).toHaveTextContent('Edited by you');
    expect(versions[1]).toHaveTextContent('current');
    await userEvent.click(within(segment).getByRole('button', { name: 'Revert to the original' }));
    await waitFor(() => expect(screen.getAllByTestId('segment')[0]).toHaveTextContent('And so my fellow Americans,'));
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/segments/1/revert'))).toBe(true);
    // The machine's words are back, low-confidence mark and all.
    expect(screen.getAllByTestId('segment')[0]!.querySelectorAll('.word--low')).toHaveLength(1);
    await waitFor(() =>
      expect(
        within(screen.getAllByTestId('segment')[0]!)
          .getAllByTestId('segment-version')
          .map((v) => v.dataset.kind),
      ).toEqual(['machine', 'edit', 'revert']),
    );
    expect(
      within(screen.getAllByTestId('segment')[0]!).getByRole('button', { name: 'Revert to the original' }),
    ).toBeDisabled();
  });

  it('offers no editing while the job runs', async () => {
    editableServer();
    renderPanel('running');
    await screen.findAllByTestId('segment');
    expect(screen.queryByRole('button', { name: /^Edit the segment/ })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Speakers' })).toBeNull();
  });
});

describe('the transcript header', () => {
  it('says when the transcript is a translation', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS, { language: 'de' }) }) });
    renderWithProviders(<TranscriptPanel jobId="job-1" title="rede.mp3" jobStatus="completed" task="translate" />);
    expect(screen.getByRole('heading', { name: 'Transcript, translated to English' })).toBeInTheDocument();
    expect(await screen.findByText(/Spoken in German/)).toBeInTheDocument();
  });
});

describe('media deleted by retention', () => {
  it('shows the server’s note instead of a player', async () => {
    fakeApi({ 'GET /api/v1/jobs/:id/transcript': () => ({ body: makeTranscript(JFK_SEGMENTS) }) });
    renderWithProviders(
      <TranscriptPanel
        jobId="job-1"
        title="jfk.wav"
        jobStatus="completed"
        mediaDeleted
        mediaNote="The original media was deleted on 3 March 2026, 30 days after the job finished (the server's retention period)."
      />,
    );
    expect(await screen.findAllByTestId('segment')).toHaveLength(3);
    expect(screen.queryByTestId('audio')).toBeNull();
    const note = screen.getByTestId('media-note');
    expect(note).toHaveTextContent('The audio is no longer kept');
    expect(note).toHaveTextContent('deleted on 3 March 2026');
    // Reading, downloading and editing still work.
    expect(screen.getByRole('button', { name: /^Download TXT/ })).toBeEnabled();
    expect(screen.getAllByRole('button', { name: /^Edit the segment/ })).toHaveLength(3);
  });
});
