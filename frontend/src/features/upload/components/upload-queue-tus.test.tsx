/** The upload queue end to end in the browser's side, with a fake tus-js-client as the server. */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiUrl, type LiveEvent } from '@/api';
import { UPLOAD_PATH, uploadFingerprint } from '@/api/upload';
import { liveEvent } from '@/test/fake-socket';
import * as tus from '@/test/fake-tus';
import { renderWithProviders } from '@/test/render';
import { applyUploadEvent, QUIET_MS } from '../api/other-tabs';
import { UploadPanel } from './upload-panel';
import { UploadProvider } from './upload-provider';

vi.mock('tus-js-client', () => import('@/test/fake-tus'));

const MiB = 1024 * 1024;
const audio = (name: string, size: number) =>
  new File([new Uint8Array(size)], name, { type: 'audio/wav', lastModified: 1_700_000_000_000 });

function setup(owner: string | null = 'user-1') {
  const onJobCreated = vi.fn();
  const view = renderWithProviders(
    <UploadProvider owner={owner} onJobCreated={onJobCreated}>
      <UploadPanel />
    </UploadProvider>,
  );
  return { ...view, onJobCreated, input: screen.getByLabelText(/Drop audio or video files here/) };
}

const rows = () => screen.getAllByTestId('upload-item');
const row = (name: string) => {
  const found = rows().find((item) => within(item).queryByText(name));
  if (!found) throw new Error(`No upload row for ${name}`);
  return found;
};
const uploadOf = (name: string) => {
  const found = tus.uploads.find((upload) => upload.file.name === name);
  if (!found) throw new Error(`No tus upload for ${name}`);
  return found;
};

beforeEach(() => {
  tus.reset();
});

/** An upload URL that tus-js-client remembered in this browser. */
function remember(
  fingerprint: string,
  filename: string,
  size: number,
  uploadId: string,
  created = new Date(2020, 0, 1, 0, 0, tus.urlStorage.entries.size),
) {
  return tus.urlStorage.addUpload(fingerprint, {
    size,
    metadata: { filename },
    creationTime: created.toString(), // as tus-js-client stores it
    urlStorageKey: '',
    uploadUrl: `/api/v1/uploads/${uploadId}`,
    parallelUploadUrls: null,
  });
}

describe('upload queue over tus', () => {
  it('a batch: each file its own tus upload with the shared options, two at a time, progress per file', async () => {
    const { input, onJobCreated } = setup();
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'base');
    await userEvent.upload(input, [audio('one.wav', 4 * MiB), audio('two.wav', 2 * MiB), audio('three.wav', MiB)]);

    await waitFor(() => expect(tus.uploads.filter((upload) => upload.started)).toHaveLength(2));
    expect(tus.uploads.map((upload) => upload.options.metadata?.filename)).toEqual(['one.wav', 'two.wav']);
    for (const upload of tus.uploads)
      expect(upload.options.metadata).toMatchObject({ model: 'base', create_job: 'true' });
    expect(row('three.wav').dataset.status).toBe('waiting');

    act(() => {
      uploadOf('one.wav').progress(MiB);
      uploadOf('two.wav').progress(MiB);
    });
    expect(within(row('one.wav')).getByText(/Uploading 25%/)).toBeInTheDocument();
    expect(within(row('two.wav')).getByText(/Uploading 50%/)).toBeInTheDocument();

    act(() => uploadOf('two.wav').succeed('job-two'));
    await waitFor(() => expect(row('two.wav').dataset.status).toBe('done'));
    expect(onJobCreated).toHaveBeenCalledWith({ id: 'job-two', filename: 'two.wav' });
    expect(within(row('two.wav')).getByRole('link', { name: 'Open' })).toHaveAttribute('href', '/jobs/job-two');
    // A place came free: the third file starts.
    await waitFor(() => expect(uploadOf('three.wav').started).toBe(true));
  });

  it("shows each refusal's reason on its own row; the others go on", async () => {
    const { input } = setup();
    await userEvent.upload(input, [audio('notes.wav', 100), audio('huge.wav', 200)]);
    await waitFor(() => expect(tus.uploads).toHaveLength(2));
    act(() => {
      uploadOf('notes.wav').answer(415, JSON.stringify({ detail: "'notes.wav' is not audio." }));
      uploadOf('huge.wav').answer(403, JSON.stringify({ detail: 'Storage quota reached.', limit: 'storage' }));
    });
    expect(await within(row('notes.wav')).findByText("'notes.wav' is not audio.")).toBeInTheDocument();
    expect(await within(row('huge.wav')).findByText('Storage quota reached.')).toBeInTheDocument();
    expect(rows().map((item) => item.dataset.status)).toEqual(['error', 'error']);
  });

  it('cancel terminates that upload only', async () => {
    const { input } = setup();
    await userEvent.upload(input, [audio('slow.wav', 100), audio('fast.wav', 100)]);
    await waitFor(() => expect(tus.uploads).toHaveLength(2));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel upload of slow.wav' }));
    await waitFor(() => expect(row('slow.wav').dataset.status).toBe('cancelled'));
    expect(uploadOf('slow.wav').aborted).toBe(true);
    expect(uploadOf('fast.wav').aborted).toBeNull();
  });

  it('a retry after a lost connection resumes the same upload and says so', async () => {
    const { input } = setup();
    await userEvent.upload(input, audio('long.wav', 16 * MiB));
    await waitFor(() => expect(tus.uploads).toHaveLength(1));
    const first = uploadOf('long.wav');
    await act(() => first.create('/api/v1/uploads/u-long'));
    act(() => first.progress(8 * MiB));
    act(() => first.dropConnection());
    expect(await within(row('long.wav')).findByText(/connection to the server was lost/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry upload of long.wav' }));
    await waitFor(() => expect(tus.uploads).toHaveLength(2));
    const again = tus.lastUpload();
    await waitFor(() => expect(again.started).toBe(true));
    expect(again.resumedFrom?.uploadUrl).toBe('/api/v1/uploads/u-long');
    act(() => again.progress(12 * MiB));
    expect(within(row('long.wav')).getByText(/Uploading 75% .* resumed/)).toBeInTheDocument();
  });

  it('after a reload, lists the unfinished uploads; the same file resumes; forgetting one deletes it', async () => {
    // What a tab closed mid-upload left in this browser.
    const interview = audio('interview.wav', 16 * MiB);
    await remember(uploadFingerprint(interview, 'user-1', apiUrl(UPLOAD_PATH)), 'interview.wav', 16 * MiB, 'u-int');
    await remember('wt:user-1:10:1700000000000:audio/wav:x:draft.wav', 'draft.wav', 10, 'u-draft');
    await remember('wt:user-2:10:1700000000000:audio/wav:x:secret.wav', 'secret.wav', 10, 'u-secret');
    // Started after this page loaded: another open tab is sending it, nothing to resume here.
    await remember(
      'wt:user-1:10:1700000000000:audio/wav:x:busy.wav',
      'busy.wav',
      10,
      'u-busy',
      new Date(Date.now() + 2000),
    );
    const { input } = setup();
    const notice = await screen.findByRole('note', { name: 'Unfinished uploads' });
    expect(
      within(notice)
        .getAllByTestId('unfinished-upload')
        .map((item) => item.textContent),
    ).toEqual([expect.stringContaining('interview.wav'), expect.stringContaining('draft.wav')]);
    expect(screen.queryByText('secret.wav')).not.toBeInTheDocument();
    expect(screen.queryByText('busy.wav')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Forget the unfinished upload of draft.wav' }));
    await waitFor(() => expect(tus.terminated).toEqual([expect.stringMatching(/u-draft$/)]));
    expect(screen.queryByText('draft.wav')).not.toBeInTheDocument();

    // Picking the same file again goes on with the server's upload, not a new one.
    await userEvent.upload(input, interview);
    await waitFor(() => expect(tus.uploads).toHaveLength(1));
    await waitFor(() => expect(tus.lastUpload().started).toBe(true));
    expect(tus.lastUpload().resumedFrom?.uploadUrl).toBe('/api/v1/uploads/u-int');
    await waitFor(() => expect(screen.queryByRole('note', { name: 'Unfinished uploads' })).not.toBeInTheDocument());
    expect(row('interview.wav').dataset.status).toBe('uploading');
  });

  it("shows another tab's upload read-only, not this tab's own, and drops it when done or quiet", async () => {
    const { input, client } = setup();
    await userEvent.upload(input, audio('mine.wav', 100));
    await waitFor(() => expect(tus.uploads).toHaveLength(1));
    await act(() => uploadOf('mine.wav').create('/api/v1/uploads/u-mine'));

    const progress = (uploadId: string, filename: string, offset: number, status = 'receiving', now = Date.now()) =>
      act(() =>
        applyUploadEvent(
          client,
          liveEvent('upload.progress', null as unknown as string, {
            upload_id: uploadId,
            filename,
            offset,
            length: 4 * MiB,
            status,
          }) as LiveEvent,
          now,
        ),
      );
    progress('u-mine', 'mine.wav', MiB);
    progress('u-other', 'podcast.mp3', MiB);
    const list = await screen.findByRole('list', { name: 'Uploads in other tabs' });
    const others = within(list).getAllByTestId('other-tab-upload');
    expect(others).toHaveLength(1);
    expect(others[0]).toHaveTextContent('podcast.mp3');
    expect(others[0]).toHaveTextContent('25%');
    expect(within(list).queryByRole('button')).not.toBeInTheDocument(); // read-only

    progress('u-other', 'podcast.mp3', 3 * MiB);
    await waitFor(() => expect(within(list).getByTestId('other-tab-upload')).toHaveTextContent('75%'));
    progress('u-other', 'podcast.mp3', 4 * MiB, 'completed');
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Uploads in other tabs' })).not.toBeInTheDocument());

    // A tab closed mid-upload sends nothing more: it is not shown forever.
    progress('u-gone', 'old.mp3', MiB, 'receiving', Date.now() - 2 * QUIET_MS);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByText('old.mp3')).not.toBeInTheDocument();
  });
});
