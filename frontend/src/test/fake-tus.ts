/**
 * A stand-in for the `tus-js-client` module, driven by the test as the server:
 * `vi.mock('tus-js-client', () => import('@/test/fake-tus'))`. Each `new Upload` is recorded
 * in `tus.uploads`; the test calls its callbacks (`progress`, `succeed`, `fail`, ...).
 */
import type * as Tus from 'tus-js-client';
import type { HttpRequest, HttpResponse, PreviousUpload, UploadOptions, UrlStorage } from 'tus-js-client';

export class DetailedError extends Error {
  originalRequest: HttpRequest;
  originalResponse: HttpResponse | null;
  causingError: Error | null;

  constructor(message: string, causingError: Error | null, request: HttpRequest, response: HttpResponse | null) {
    super(message);
    this.causingError = causingError;
    this.originalRequest = request;
    this.originalResponse = response;
  }
}

/** This module's error as the real module's type (they are the same class once mocked). */
export function tusError(status: number | null, body = ''): Tus.DetailedError {
  const error = new DetailedError(
    status === null ? 'tus: failed to upload chunk' : `tus: response code ${status}`,
    status === null ? new Error('network') : null,
    request(),
    status === null ? null : response(status, body),
  );
  // Once `tus-js-client` is mocked with this module, this class is its DetailedError.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  return error;
}

export function response(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    getStatus: () => status,
    getHeader: (name) => lower[name.toLowerCase()],
    getBody: () => body,
    getUnderlyingObject: () => null,
  };
}

/** A request whose headers the test can read after `onBeforeRequest` set them. */
export function request(
  method = 'PATCH',
  url = '/api/v1/uploads/u1',
): HttpRequest & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    headers,
    getMethod: () => method,
    getURL: () => url,
    setHeader: (name, value) => {
      headers[name] = value;
    },
    getHeader: (name) => headers[name],
    setProgressHandler: () => undefined,
    send: () => Promise.reject(new Error('the fake sends nothing')),
    abort: () => Promise.resolve(),
    getUnderlyingObject: () => null,
  };
}

class MemoryUrlStorage implements UrlStorage {
  entries = new Map<string, PreviousUpload>();
  private counter = 0;

  findAllUploads(): Promise<PreviousUpload[]> {
    return Promise.resolve([...this.entries.values()]);
  }

  findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return Promise.resolve(
      [...this.entries.values()].filter((e) => e.urlStorageKey.startsWith(`tus::${fingerprint}::`)),
    );
  }

  removeUpload(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `tus::${fingerprint}::${++this.counter}`;
    this.entries.set(key, { ...upload, urlStorageKey: key });
    return Promise.resolve(key);
  }
}

export const urlStorage = new MemoryUrlStorage();
export const canStoreURLs = true;
export const isSupported = true;
export const defaultOptions = { urlStorage };

export const terminated: string[] = [];

export class Upload {
  url: string | null = null;
  started = false;
  aborted: boolean | null = null;
  resumedFrom: PreviousUpload | null = null;

  constructor(
    public file: File,
    public options: UploadOptions,
  ) {
    uploads.push(this);
  }

  static terminate(url: string, options: UploadOptions = {}): Promise<void> {
    const req = request('DELETE', url);
    return Promise.resolve(options.onBeforeRequest?.(req)).then(() => {
      terminated.push(url);
    });
  }

  async findPreviousUploads(): Promise<PreviousUpload[]> {
    const fingerprint = await this.options.fingerprint?.(this.file, this.options);
    return fingerprint ? urlStorage.findUploadsByFingerprint(fingerprint) : [];
  }

  resumeFromPreviousUpload(previous: PreviousUpload): void {
    this.resumedFrom = previous;
    this.url = previous.uploadUrl;
  }

  start(): void {
    this.started = true;
  }

  abort(shouldTerminate = false): Promise<void> {
    this.aborted = shouldTerminate;
    return Promise.resolve();
  }

  // -- the server's side ------------------------------------------------------------------

  /** Created (or resumed): the URL is known and remembered under the file's fingerprint. */
  async create(url = `/api/v1/uploads/${uploads.indexOf(this) + 1}`): Promise<void> {
    this.url = url;
    const fingerprint = await this.options.fingerprint?.(this.file, this.options);
    if (fingerprint && this.options.storeFingerprintForResuming !== false && !this.resumedFrom) {
      await urlStorage.addUpload(fingerprint, {
        size: this.file.size,
        metadata: this.options.metadata ?? {},
        creationTime: new Date(0).toISOString(),
        urlStorageKey: '',
        uploadUrl: url,
        parallelUploadUrls: null,
      });
    }
    this.options.onUploadUrlAvailable?.();
  }

  /** What onBeforeRequest puts on a request. */
  async sign(method = 'PATCH'): Promise<Record<string, string>> {
    const req = request(method, this.url ?? '/api/v1/uploads');
    await this.options.onBeforeRequest?.(req);
    return req.headers;
  }

  progress(sent: number, total = this.file.size): void {
    this.options.onProgress?.(sent, total);
  }

  chunk(accepted: number): void {
    this.options.onChunkComplete?.(0, accepted, this.file.size);
  }

  succeed(jobId: string | null = 'job-1'): void {
    this.options.onSuccess?.({ lastResponse: response(204, '', jobId ? { 'Upload-Job-Id': jobId } : {}) });
  }

  /** A request answered `status`: tus-js-client asks onShouldRetry, then errors when it says no. */
  answer(status: number, body = ''): boolean {
    const error = tusError(status, body);
    const retry = this.options.onShouldRetry?.(error, 0, this.options) ?? false;
    if (!retry) this.options.onError?.(error);
    return retry;
  }

  dropConnection(): void {
    this.options.onError?.(tusError(null));
  }
}

export const uploads: Upload[] = [];

/** Forget every upload and stored URL (call in beforeEach). */
export function reset(): void {
  uploads.length = 0;
  terminated.length = 0;
  urlStorage.entries.clear();
}

export function lastUpload(): Upload {
  const upload = uploads.at(-1);
  if (!upload) throw new Error('No tus upload was made.');
  return upload;
}
