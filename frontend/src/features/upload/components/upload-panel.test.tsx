import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type Job, type JobOptions } from '@/api';
import type { UploadCallbacks } from '@/api/upload';
import { makeJob } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { UploadPanel } from './upload-panel';
import { UploadProvider } from './upload-provider';

type Upload = (file: File, options: JobOptions, callbacks?: UploadCallbacks) => Promise<Job>;

function setup(upload: Upload, onJobCreated = vi.fn()) {
  renderWithProviders(
    <UploadProvider upload={upload} onJobCreated={onJobCreated}>
      <UploadPanel />
    </UploadProvider>,
  );
  return { onJobCreated, input: screen.getByLabelText(/Drop audio or video files here/) };
}

describe('UploadPanel', () => {
  it('uploads each picked file as its own job with the shared options', async () => {
    const upload = vi.fn<Upload>((file, _options, callbacks) => {
      callbacks?.onProgress?.({ loaded: file.size / 2, total: file.size });
      return Promise.resolve(makeJob({ filename: file.name, status: 'queued' }));
    });
    const { input, onJobCreated } = setup(upload);
    await userEvent.selectOptions(screen.getByLabelText('Model'), 'base');
    await userEvent.click(screen.getByRole('radio', { name: 'Translate to English' }));
    await userEvent.upload(input, [new File(['a'], 'one.wav'), new File(['bb'], 'two.mp3')]);

    await waitFor(() => expect(onJobCreated).toHaveBeenCalledTimes(2));
    expect(upload).toHaveBeenCalledTimes(2);
    expect(upload.mock.calls.map(([file]) => file.name)).toEqual(['one.wav', 'two.mp3']);
    expect(upload.mock.calls[0]?.[1]).toMatchObject({ task: 'translate', language: 'auto' });
    const items = await screen.findAllByTestId('upload-item');
    await waitFor(() => expect(items.map((item) => item.dataset.status)).toEqual(['done', 'done']));
    expect(screen.getAllByRole('link', { name: 'Open' })).toHaveLength(2);
  });

  it('shows upload progress', async () => {
    let progress: UploadCallbacks['onProgress'];
    const upload = vi.fn<Upload>((_file, _options, callbacks) => {
      progress = callbacks?.onProgress;
      return new Promise<Job>(() => undefined);
    });
    const { input } = setup(upload);
    await userEvent.upload(input, new File([new Uint8Array(2048)], 'big.flac'));
    await waitFor(() => expect(progress).toBeDefined());
    progress?.({ loaded: 512, total: 2048 });
    expect(await screen.findByText(/Uploading 25%/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Upload of big.flac' })).toHaveAttribute('aria-valuenow', '25');
  });

  it("shows the server's reason when a file is refused, and can retry", async () => {
    const upload = vi
      .fn<Upload>()
      .mockRejectedValueOnce(new ApiError(415, 'This file has no audio stream we can decode.'))
      .mockResolvedValueOnce(makeJob({ filename: 'fake.wav' }));
    const { input } = setup(upload);
    await userEvent.upload(input, new File(['hello'], 'fake.wav'));
    expect(await screen.findByText('This file has no audio stream we can decode.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry upload of fake.wav' }));
    await waitFor(() => expect(screen.getByTestId('upload-item').dataset.status).toBe('done'));
  });

  it('cancels an upload in flight', async () => {
    const upload = vi.fn<Upload>(
      (_file, _options, callbacks) =>
        new Promise<Job>((_resolve, reject) => {
          callbacks?.signal?.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
        }),
    );
    const { input } = setup(upload);
    await userEvent.upload(input, new File(['a'], 'slow.wav'));
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel upload of slow.wav' }));
    await waitFor(() => expect(screen.getByTestId('upload-item').dataset.status).toBe('cancelled'));
  });
});
