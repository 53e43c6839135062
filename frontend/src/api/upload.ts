/**
 * Multipart upload of one file as one job, with progress. fetch() cannot report upload
 * progress, so this uses XMLHttpRequest; credentials come from auth.ts like everywhere else.
 * (Resumable tus uploads for very large files are the next step; see DESIGN.md.)
 */
import { authHeaders, withAuthRetry } from './auth';
import { apiUrl } from './client';
import { ApiError, NetworkError, apiErrorFromText } from './errors';
import type { Job, JobOptions } from './types';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadCallbacks {
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The form fields the server expects; empty optional fields are left out. */
export function jobFormFields(options: JobOptions): [string, string][] {
  const fields: [string, string][] = [];
  if (options.model.trim()) fields.push(['model', options.model.trim()]);
  fields.push(['language', options.language.trim() || 'auto']);
  fields.push(['task', options.task]);
  fields.push(['word_timestamps', String(options.word_timestamps)]);
  fields.push(['vad', String(options.vad)]);
  if (options.initial_prompt.trim()) fields.push(['initial_prompt', options.initial_prompt.trim()]);
  return fields;
}

export function uploadJob(file: File, options: JobOptions, callbacks: UploadCallbacks = {}): Promise<Job> {
  // An access token that expired during a long upload is renewed, and the upload sent again.
  return withAuthRetry(() => sendUpload(file, options, callbacks));
}

async function sendUpload(file: File, options: JobOptions, callbacks: UploadCallbacks): Promise<Job> {
  const headers = await authHeaders();
  const body = new FormData();
  for (const [name, value] of jobFormFields(options)) body.append(name, value);
  body.append('file', file, file.name);

  return new Promise<Job>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const { signal, onProgress } = callbacks;
    const abort = () => xhr.abort();
    if (signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);

    xhr.open('POST', apiUrl('/api/v1/jobs'));
    xhr.setRequestHeader('Accept', 'application/json');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    });
    xhr.addEventListener('load', () => {
      done();
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Job);
        } catch {
          reject(new ApiError(xhr.status, 'The server sent an answer that could not be read.'));
        }
      } else {
        reject(apiErrorFromText(xhr.status, xhr.responseText));
      }
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new NetworkError('The upload failed: the connection to the server was lost.'));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    });
    xhr.send(body);
  });
}
