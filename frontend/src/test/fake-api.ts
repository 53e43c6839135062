/** A stand-in for the server: routes by method + path, records every request. */
import { vi } from 'vitest';
import type { Job, Segment, Transcript } from '@/api';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The JSON body, parsed (undefined without one). */
  body?: unknown;
}

type Handler = (request: Recorded) => { status?: number; body?: unknown } | undefined;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function fakeApi(routes: Record<string, Handler>) {
  const calls: Recorded[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.clone().text();
    const recorded: Recorded = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? parseBody(text) : undefined,
    };
    calls.push(recorded);
    for (const [pattern, handler] of Object.entries(routes)) {
      const [method, path] = pattern.split(' ');
      const regex = new RegExp(`^${(path ?? '').replace(/:[a-z_]+/g, '[^/]+')}$`);
      if (method === request.method && regex.test(url.pathname)) {
        const result = handler(recorded) ?? {};
        const status = result.status ?? 200;
        return Promise.resolve(
          new Response(status === 204 ? null : JSON.stringify(result.body ?? {}), {
            status,
            headers: { 'content-type': 'application/json' },
          }),
        );
      }
    }
    return Promise.resolve(new Response(JSON.stringify({ detail: 'Not Found' }), { status: 404 }));
  });
  vi.stubGlobal('fetch', fetch);
  return { fetch, calls };
}

let n = 0;

export function makeJob(overrides: Partial<Job> = {}): Job {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    status: 'completed',
    progress: 1,
    filename: `recording-${n}.mp3`,
    source_url: null,
    downloading: false,
    callback_url: null,
    duration_s: 93.4,
    language: null,
    model: 'tiny.en',
    task: 'transcribe',
    word_timestamps: true,
    vad: true,
    diarize: false,
    error: null,
    partial: false,
    attempts: 1,
    queue: 'cpu',
    created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    started_at: null,
    finished_at: null,
    ...overrides,
  };
}

export function makeTranscript(segments: Segment[], overrides: Partial<Transcript> = {}): Transcript {
  return {
    job_id: 'job',
    status: 'completed',
    language: 'en',
    duration_s: 11,
    text: segments.map((s) => s.text).join(' '),
    segments,
    ...overrides,
  };
}

export const JFK_SEGMENTS: Segment[] = [
  {
    id: 1,
    start: 0,
    end: 4,
    text: 'And so my fellow Americans,',
    words: [
      { start: 0, end: 0.5, word: ' And', probability: 0.9 },
      { start: 0.5, end: 1, word: ' so', probability: 0.95 },
      { start: 1, end: 1.6, word: ' my', probability: 0.97 },
      { start: 1.6, end: 2.4, word: ' fellow', probability: 0.92 },
      { start: 2.4, end: 4, word: ' Americans,', probability: 0.31 },
    ],
  },
  {
    id: 2,
    start: 4.5,
    end: 8,
    text: 'ask not what your country can do for you,',
    words: [
      { start: 4.5, end: 5, word: ' ask', probability: 0.99 },
      { start: 5, end: 5.5, word: ' not', probability: 0.99 },
      { start: 5.5, end: 6, word: ' what', probability: 0.99 },
      { start: 6, end: 6.5, word: ' your', probability: 0.99 },
      { start: 6.5, end: 7, word: ' country', probability: 0.99 },
      { start: 7, end: 8, word: ' can do for you,', probability: 0.99 },
    ],
  },
  { id: 3, start: 8.2, end: 11, text: 'ask what you can do for your country.', words: null },
];
