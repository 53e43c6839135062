/**
 * The one place that talks to the API: a client generated from the backend's OpenAPI
 * schema (`npm run gen:api`), plus the bits fetch cannot do (resumable tus uploads, file
 * downloads) in upload.ts and download.ts. Every request gets its credentials from
 * auth.ts and every failure becomes an ApiError with the server's `detail`.
 */
import createClient from 'openapi-fetch';
import { env } from '@/config/env';
import { authFetch } from './auth';
import { ApiError, NetworkError, detailFromBody, retryAfterSeconds } from './errors';
import type { paths } from './schema';

export const api = createClient<paths>({
  baseUrl: env.apiBaseUrl,
  // Credentials, and one refresh-and-retry on a 401 (auth.ts).
  fetch: authFetch,
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call: its data, or a thrown ApiError / NetworkError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError();
  }
  const { data, error, response } = result;
  if (!response.ok || error !== undefined) {
    throw new ApiError(response.status, detailFromBody(error, response.status), retryAfterSeconds(response));
  }
  return data as T;
}

/** Absolute URL of an API path, for what is not fetched by the client (media, tus uploads). */
export function apiUrl(path: string): string {
  return `${env.apiBaseUrl}${path}`;
}
