import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as tus from '@/test/fake-tus';
import { setTokenGetter, setUnauthorizedHandler } from './auth';
import { ApiError, NetworkError } from './errors';
import type { JobOptions } from './types';
import {
  CHUNK_BYTES,
  forgetUnfinishedUpload,
  unfinishedUploads,
  uploadIdFromUrl,
  uploadJob,
  type UploadCallbacks,
} from './upload';

vi.mock('tus-js-client', () => import('@/test/fake-tus'));

const options: JobOptions = {
  model: '',
  language: 'en',
  task: 'transcribe',
  word_timestamps: true,
  vad: true,
  initial_prompt: '',
};
const file = (name = 'talk.wav', size = 20 * 1024 * 1024) =>
  new File([new Uint8Array(size)], name, { type: 'audio/wav', lastModified: 1_700_000_000_000 });

/** Start an upload and wait until tus-js-client was asked to start it. */
async function begin(f: File = file(), callbacks: UploadCallbacks = {}) {
  const promise = uploadJob(f, options, { owner: 'user-1', ...callbacks });
  await vi.waitFor(() => expect(tus.lastUpload().started).toBe(true));
  return { promise, upload: tus.lastUpload() };
}

let token = 'token-1';

beforeEach(() => {
  tus.reset();
  token = 'token-1';
  setTokenGetter(() => token);
});
afterEach(() => {
  setTokenGetter(() => null);
  setUnauthorizedHandler(null);
});

describe('uploadJob over tus', () => {
  it('sends to /api/v1/uploads in 8 MiB chunks, with retries, the options and create_job', async () => {
    const { promise, upload } = await begin();
    expect(upload.options.endpoint).toMatch(/\/api\/v1\/uploads$/);
    expect(upload.options.chunkSize).toBe(CHUNK_BYTES);
    expect(CHUNK_BYTES).toBe(8 * 1024 * 1024);
    expect(upload.options.retryDelays?.length).toBeGreaterThan(3);
    expect(upload.options.removeFingerprintOnSuccess).toBe(true);
    expect(upload.options.metadata).toEqual({
      filename: 'talk.wav',
      language: 'en',
      task: 'transcribe',
      word_timestamps: 'true',
      vad: 'true',
      create_job: 'true',
    });
    await upload.create();
    upload.succeed('0b1f7c52-0000-4000-8000-000000000001');
    await expect(promise).resolves.toEqual({ id: '0b1f7c52-0000-4000-8000-000000000001', filename: 'talk.wav' });
  });

  it('signs every request with the token of the moment (renewed mid-upload)', async () => {
    const { upload } = await begin();
    expect(await upload.sign('POST')).toMatchObject({ Authorization: 'Bearer token-1' });
    token = 'token-2'; // the session renewed it while chunks were going
    expect(await upload.sign('PATCH')).toMatchObject({ Authorization: 'Bearer token-2' });
  });

  it('on a 401 renews the token once, waits for it and sends again; a second 401 in a row fails', async () => {
    let finishRefresh: (ok: boolean) => void = () => undefined;
    const refresh = vi.fn(
      () =>
        new Promise<boolean>((resolve) => {
          finishRefresh = (ok) => {
            token = 'token-fresh';
            resolve(ok);
          };
        }),
    );
    setUnauthorizedHandler(refresh);
    const { promise, upload } = await begin();
    expect(upload.answer(401, '{"detail":"Token expired."}')).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(1);
    const signed = upload.sign();
    finishRefresh(true);
    expect(await signed).toMatchObject({ Authorization: 'Bearer token-fresh' });
    // Progress since: a later expiry may renew again.
    upload.chunk(CHUNK_BYTES);
    expect(upload.answer(401)).toBe(true);
    expect(refresh).toHaveBeenCalledTimes(2);
    // No progress since the last renewal: the token is not the problem, stop.
    expect(upload.answer(401, '{"detail":"Your session ended."}')).toBe(false);
    await expect(promise).rejects.toMatchObject({ status: 401, message: 'Your session ended.' });
  });

  it("reports a refusal with the server's sentence and forgets the upload (nothing to resume)", async () => {
    for (const [status, detail] of [
      [415, "'notes.wav' is not audio: no audio stream was found."],
      [413, 'The file (5,000,000,000 bytes) is larger than this server\u2019s limit.'],
      [403, 'Storage quota reached: 12 MB left.'],
    ] as const) {
      tus.reset();
      const { promise, upload } = await begin(file('notes.wav', 1000));
      await upload.create();
      expect(tus.urlStorage.entries.size).toBe(1);
      expect(upload.answer(status, JSON.stringify({ detail, limit: 'x' }))).toBe(false);
      const error: unknown = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, message: detail });
      await vi.waitFor(() => expect(tus.urlStorage.entries.size).toBe(0));
    }
  });

  it('retries a dropped request, an offset conflict and a locked upload, not a refusal', async () => {
    const { upload } = await begin();
    const retry = (status: number) =>
      upload.options.onShouldRetry?.(tus.tusError(status === 0 ? null : status), 0, upload.options);
    expect(retry(0)).toBe(true);
    expect(retry(502)).toBe(true);
    expect(retry(409)).toBe(true);
    expect(retry(423)).toBe(true);
    expect(retry(415)).toBe(false);
    expect(retry(404)).toBe(false);
  });

  it('a lost connection (after the retries) says so, and keeps the upload for resuming', async () => {
    const { promise, upload } = await begin();
    await upload.create();
    upload.dropConnection();
    const error: unknown = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/Retry to go on from where it stopped/);
    expect(tus.urlStorage.entries.size).toBe(1);
  });

  it('the same file again (after a reload or a failure) resumes the remembered upload', async () => {
    const first = await begin();
    await first.upload.create('/api/v1/uploads/abc');
    first.upload.dropConnection();
    await first.promise.catch(() => undefined);

    const onResume = vi.fn();
    const onUploadId = vi.fn();
    const again = await begin(file(), { onResume, onUploadId });
    expect(again.upload.resumedFrom?.uploadUrl).toBe('/api/v1/uploads/abc');
    expect(onResume).toHaveBeenCalledTimes(1);
    await again.upload.create('/api/v1/uploads/abc');
    expect(onUploadId).toHaveBeenCalledWith('abc');

    // Another person at this browser, or another file, starts afresh.
    const other = await begin(file(), { owner: 'user-2' });
    expect(other.upload.resumedFrom).toBeNull();
    const renamed = await begin(file('other.wav'));
    expect(renamed.upload.resumedFrom).toBeNull();
  });

  it('cancelling terminates the upload on the server', async () => {
    const controller = new AbortController();
    const { promise, upload } = await begin(file(), { signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(upload.aborted).toBe(true);
  });

  it('fails readably when the server made no job', async () => {
    const { promise, upload } = await begin();
    upload.succeed(null);
    await expect(promise).rejects.toThrow(/did not say which job/);
  });
});

describe('unfinished uploads', () => {
  it("lists this person's remembered uploads and forgets one (terminating it)", async () => {
    const mine = await begin(file('mine.wav', 10));
    await mine.upload.create('/api/v1/uploads/u-mine');
    const theirs = await begin(file('theirs.wav', 10), { owner: 'user-2' });
    await theirs.upload.create('/api/v1/uploads/u-theirs');

    const list = await unfinishedUploads('user-1');
    expect(list.map((u) => [u.filename, u.uploadId, u.size])).toEqual([['mine.wav', 'u-mine', 10]]);
    await forgetUnfinishedUpload(list[0]!);
    expect(tus.terminated).toEqual([expect.stringMatching(/\/api\/v1\/uploads\/u-mine$/)]);
    expect(await unfinishedUploads('user-1')).toEqual([]);
    expect(await unfinishedUploads('user-2')).toHaveLength(1);
  });

  it('reads the id at the end of an upload URL', () => {
    expect(uploadIdFromUrl('http://h/api/v1/uploads/abc-1')).toBe('abc-1');
    expect(uploadIdFromUrl('/api/v1/uploads/abc/?x=1')).toBe('abc');
    expect(uploadIdFromUrl(null)).toBeNull();
  });
});
