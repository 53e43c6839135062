import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/config/env';
import { setTokenGetter } from './auth';
import { api, unwrap } from './client';
import { filenameFromDisposition } from './download';
import { ApiError, NetworkError, detailFromBody, errorMessage } from './errors';
import { uploadMetadata } from './upload';
import { fakeApi } from '@/test/fake-api';

describe('errors', () => {
  it('reads the detail the API sends', () => {
    expect(detailFromBody({ detail: 'The file is not audio.' }, 415)).toBe('The file is not audio.');
  });

  it("reads FastAPI's list of validation messages", () => {
    expect(detailFromBody({ detail: [{ msg: 'field required' }, { msg: 'too long' }] }, 422)).toBe(
      'field required; too long',
    );
  });

  it('falls back to a sentence for the status', () => {
    expect(detailFromBody(null, 413)).toBe('The file is too large.');
    expect(detailFromBody('<html>', 599)).toBe('The server answered with status 599.');
  });

  it('turns anything thrown into one readable sentence', () => {
    expect(errorMessage(new ApiError(409, 'The job is already completed.'))).toBe('The job is already completed.');
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(new NetworkError().message);
    expect(errorMessage('weird')).toBe('Something unexpected went wrong.');
  });
});

describe('the generated client', () => {
  it('returns data, and throws ApiError with the detail on a 4xx', async () => {
    fakeApi({
      'GET /api/v1/jobs': () => ({ body: { items: [], next_cursor: null } }),
      'POST /api/v1/jobs/:id/cancel': () => ({ status: 409, body: { detail: 'The job is already completed.' } }),
    });
    await expect(unwrap(api.GET('/api/v1/jobs', {}))).resolves.toEqual({ items: [], next_cursor: null });
    const failure = unwrap(api.POST('/api/v1/jobs/{job_id}/cancel', { params: { path: { job_id: 'x' } } }));
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 409, message: 'The job is already completed.' });
  });

  it('adds the bearer token from the one token getter', async () => {
    const { fetch } = fakeApi({ 'GET /api/v1/jobs': () => ({ body: { items: [], next_cursor: null } }) });
    setTokenGetter(() => 'secret-token');
    try {
      await unwrap(api.GET('/api/v1/jobs', {}));
    } finally {
      setTokenGetter(() => null);
    }
    const request = fetch.mock.calls[0]?.[0] as Request;
    expect(request.headers.get('authorization')).toBe('Bearer secret-token');
    await unwrap(api.GET('/api/v1/jobs', {}));
    expect((fetch.mock.calls[1]?.[0] as Request).headers.get('authorization')).toBeNull();
  });

  it('reports a network failure as such', async () => {
    fakeApi({});
    globalThis.fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await expect(unwrap(api.GET('/api/v1/jobs', {}))).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('upload metadata', () => {
  it('sends the filename, every option (empty optional ones left out) and create_job', () => {
    expect(
      uploadMetadata('talk.mp3', {
        model: '',
        language: 'auto',
        task: 'transcribe',
        word_timestamps: true,
        vad: false,
        initial_prompt: '  ',
      }),
    ).toEqual({
      filename: 'talk.mp3',
      language: 'auto',
      task: 'transcribe',
      word_timestamps: 'true',
      vad: 'false',
      create_job: 'true',
    });
    expect(
      uploadMetadata('b.wav', {
        model: 'base',
        language: 'de',
        task: 'translate',
        word_timestamps: false,
        vad: true,
        initial_prompt: 'Grafana',
      }),
    ).toEqual({
      filename: 'b.wav',
      model: 'base',
      language: 'de',
      task: 'translate',
      word_timestamps: 'false',
      vad: 'true',
      initial_prompt: 'Grafana',
      create_job: 'true',
    });
  });
});

describe('download file names', () => {
  it('prefers the UTF-8 name', () => {
    expect(
      filenameFromDisposition(`attachment; filename="caf? talk.srt"; filename*=UTF-8''caf%C3%A9%20talk.srt`, 'x'),
    ).toBe('café talk.srt');
    expect(filenameFromDisposition('attachment; filename="talk.vtt"', 'x')).toBe('talk.vtt');
    expect(filenameFromDisposition(null, 'transcript.txt')).toBe('transcript.txt');
  });
});

describe('env', () => {
  it('defaults to the same origin and 1.5 s polling', () => {
    expect(parseEnv({})).toEqual({ apiBaseUrl: '', pollIntervalMs: 5000 });
  });

  it('accepts an origin and trims its slash', () => {
    expect(parseEnv({ VITE_API_BASE_URL: 'https://t.example/', VITE_POLL_INTERVAL_MS: '2000' })).toEqual({
      apiBaseUrl: 'https://t.example',
      pollIntervalMs: 2000,
    });
  });

  it('refuses bad values at start', () => {
    expect(() => parseEnv({ VITE_API_BASE_URL: 'ftp://x' })).toThrow(/VITE_API_BASE_URL/);
    expect(() => parseEnv({ VITE_POLL_INTERVAL_MS: '10' })).toThrow(/VITE_POLL_INTERVAL_MS/);
  });
});
