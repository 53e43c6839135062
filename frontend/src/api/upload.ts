/**
 * One file as one job over tus resumable uploads (`/api/v1/uploads`, docs/api.md
 * "Resumable uploads (tus)"), with tus-js-client.
 *
 * - The file goes in chunks of CHUNK_BYTES; after a dropped request tus-js-client asks the
 *   server where it stands (HEAD) and goes on from that offset, waiting RETRY_DELAYS_MS
 *   between tries; any progress starts the waits over.
 * - The upload's URL is kept in localStorage under a fingerprint of the signed-in person
 *   and the file, so picking the same file again after a reload, a crash or a failed try
 *   continues from the server's offset instead of starting over. Success forgets it.
 * - Every request asks auth.ts for the current access token (`onBeforeRequest`), so a
 *   token renewed during a long upload is used from the next chunk on; a 401 (a tab that
 *   slept past the token's end) renews it once and sends the chunk again.
 * - `Upload-Metadata` carries the filename, the job options and `create_job`: the server
 *   makes the job when the last byte is in and names it in `Upload-Job-Id`.
 * - A refusal (415 not audio, 413 too big, 403 over a quota, 422 bad options) becomes an
 *   ApiError with the server's `detail`.
 */
import * as tus from 'tus-js-client';
import { authHeaders, refreshAfterUnauthorized } from './auth';
import { apiUrl } from './client';
import { ApiError, NetworkError, apiErrorFromText } from './errors';
import type { JobOptions } from './types';

export const UPLOAD_PATH = '/api/v1/uploads';
/** Small enough for fine-grained progress and little lost on a cut, large enough to be fast. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** Waits between tries after a failed request (a flaky link); then the upload fails. */
export const RETRY_DELAYS_MS: readonly number[] = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000];
const FINGERPRINT_PREFIX = 'wt';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** What the server made of the file. */
export interface UploadedJob {
  id: string;
  filename: string;
}

export interface UploadCallbacks {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
  /** The server's id of this upload, once known (its `upload.progress` events carry it). */
  onUploadId?: (uploadId: string) => void;
  /** An earlier try of this same file was found: sending goes on where the server stands. */
  onResume?: () => void;
  /** Whose upload this is: resumable uploads are remembered per person. */
  owner?: string | null;
}

/** `Upload-Metadata` values (tus-js-client base64-encodes them); empty options are left out. */
export function uploadMetadata(filename: string, options: JobOptions): Record<string, string> {
  const metadata: Record<string, string> = { filename };
  if (options.model.trim()) metadata.model = options.model.trim();
  metadata.language = options.language.trim() || 'auto';
  metadata.task = options.task;
  metadata.word_timestamps = String(options.word_timestamps);
  metadata.vad = String(options.vad);
  if (options.initial_prompt.trim()) metadata.initial_prompt = options.initial_prompt.trim();
  metadata.create_job = 'true';
  return metadata;
}

function ownerKey(owner: string | null | undefined): string {
  return encodeURIComponent(owner ?? 'anyone');
}

/** Same person, same file (name, size, type, modification time), same server: same upload. */
export function uploadFingerprint(file: File, owner: string | null | undefined, endpoint: string): string {
  return [FINGERPRINT_PREFIX, ownerKey(owner), file.size, file.lastModified, file.type, endpoint, file.name].join(':');
}

/** The id at the end of an upload URL (`/api/v1/uploads/<id>`). */
export function uploadIdFromUrl(url: string | null): string | null {
  if (!url) return null;
  const id = url
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .pop();
  return id ? decodeURIComponent(id) : null;
}

const abortError = () => new DOMException('The upload was cancelled.', 'AbortError');

/** A tus-js-client failure as an error whose message a person can act on. */
export function uploadError(error: unknown): Error {
  if (error instanceof tus.DetailedError) {
    const response = error.originalResponse;
    const status = response?.getStatus() ?? 0;
    if (response && status >= 400) return apiErrorFromText(status, response.getBody());
    return new NetworkError(
      'The upload stopped: the connection to the server was lost. Retry to go on from where it stopped.',
    );
  }
  return error instanceof Error ? error : new Error('The upload failed.');
}

function retryable(status: number): boolean {
  // tus-js-client's own rule: not a 4xx, except a conflict on the offset or a locked upload.
  const online = typeof navigator === 'undefined' || navigator.onLine;
  return (status < 400 || status >= 500 || status === 409 || status === 423) && online;
}

/** A 4xx that sending again cannot change (unlike 401, 409 and 423). */
function isRefusal(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 409, 423].includes(status);
}

async function forgetUpload(upload: tus.Upload): Promise<void> {
  try {
    const previous = await upload.findPreviousUploads();
    await Promise.all(previous.map((entry) => tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey)));
  } catch {
    /* storage is a convenience only */
  }
}

async function signRequest(request: tus.HttpRequest): Promise<void> {
  for (const [name, value] of Object.entries(await authHeaders())) request.setHeader(name, value);
  request.setHeader('Accept', 'application/json');
}

export function uploadJob(file: File, options: JobOptions, callbacks: UploadCallbacks = {}): Promise<UploadedJob> {
  const { signal, onProgress, onUploadId, onResume, owner } = callbacks;
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise<UploadedJob>((resolve, reject) => {
    // Set by a 401: later requests wait for the renewal; one renewal per stretch without progress.
    let renewal: Promise<boolean> | null = null;
    let renewedSinceProgress = false;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', cancel);
      fn();
    };

    const upload = new tus.Upload(file, {
      endpoint: apiUrl(UPLOAD_PATH),
      chunkSize: CHUNK_BYTES,
      retryDelays: [...RETRY_DELAYS_MS],
      metadata: uploadMetadata(file.name, options),
      fingerprint: (f: File, opts: tus.UploadOptions) =>
        Promise.resolve(uploadFingerprint(f, owner, opts.endpoint ?? '')),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (request) => {
        if (renewal) await renewal;
        await signRequest(request);
      },
      onShouldRetry: (error) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        if (status !== 401) return retryable(status);
        if (renewedSinceProgress) return false;
        renewedSinceProgress = true;
        renewal = refreshAfterUnauthorized();
        return true;
      },
      onChunkComplete: () => {
        renewedSinceProgress = false;
      },
      onUploadUrlAvailable: () => {
        const id = uploadIdFromUrl(upload.url);
        if (id) onUploadId?.(id);
      },
      onProgress: (loaded, total) => onProgress?.({ loaded, total }),
      onSuccess: ({ lastResponse }) => {
        const jobId = lastResponse.getHeader('Upload-Job-Id');
        settle(() =>
          jobId
            ? resolve({ id: jobId, filename: file.name })
            : reject(new ApiError(502, 'The file was received, but the server did not say which job it made.')),
        );
      },
      onError: (error) => {
        const failure = uploadError(error);
        // Refused for good (not audio, too big, over quota): nothing to resume later.
        if (failure instanceof ApiError && isRefusal(failure.status)) void forgetUpload(upload);
        settle(() => reject(failure));
      },
    });

    function cancel() {
      // Terminate: the person does not want these bytes on the server any more.
      upload.abort(true).catch(() => undefined);
      settle(() => reject(abortError()));
    }
    signal?.addEventListener('abort', cancel, { once: true });

    upload
      .findPreviousUploads()
      .then((previous) => {
        if (settled) return;
        const last = previous.at(-1);
        if (last) {
          upload.resumeFromPreviousUpload(last);
          onResume?.();
        }
        upload.start();
      })
      .catch((error: unknown) => settle(() => reject(uploadError(error))));
  });
}

/** An upload this browser started and did not finish (the page was closed or reloaded). */
export interface UnfinishedUpload {
  key: string;
  filename: string;
  size: number | null;
  uploadId: string | null;
  /** When it was created (ms since the epoch; NaN when the browser stored no readable date). */
  startedAt: number;
}

/** The person's unfinished uploads remembered here, oldest first. */
export async function unfinishedUploads(owner: string | null | undefined): Promise<UnfinishedUpload[]> {
  if (!tus.canStoreURLs) return [];
  const prefix = `tus::${FINGERPRINT_PREFIX}:${ownerKey(owner)}:`;
  const all = await tus.defaultOptions.urlStorage.findAllUploads();
  return all
    .filter((entry) => entry.urlStorageKey.startsWith(prefix))
    .map((entry) => ({
      key: entry.urlStorageKey,
      filename: entry.metadata.filename ?? 'file',
      size: entry.size,
      uploadId: uploadIdFromUrl(entry.uploadUrl),
      startedAt: Date.parse(entry.creationTime), // tus-js-client stores Date#toString()
    }))
    .sort((a, b) => (a.startedAt || 0) - (b.startedAt || 0));
}

/** Give up an unfinished upload: its bytes are deleted on the server and it is forgotten here. */
export async function forgetUnfinishedUpload(upload: UnfinishedUpload): Promise<void> {
  if (upload.uploadId) {
    try {
      await tus.Upload.terminate(apiUrl(`${UPLOAD_PATH}/${encodeURIComponent(upload.uploadId)}`), {
        onBeforeRequest: signRequest,
      });
    } catch {
      /* already gone (expired, finished, refused): forgetting it here is what matters */
    }
  }
  await tus.defaultOptions.urlStorage.removeUpload(upload.key);
}
