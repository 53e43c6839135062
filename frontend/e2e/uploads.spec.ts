/**
 * Resumable (tus) uploads in a real browser against the real backend and tiny.en model:
 * a recording goes up through `/api/v1/uploads` and its job completes; an upload cut off
 * by a page reload goes on from the server's offset when the same file is picked again.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Request, type Route } from '@playwright/test';
import { ensureAdmin, signIn } from './account';
import { SPEECH, shoot } from './shots';

const MiB = 1024 * 1024;
const CHUNK = 8 * MiB; // CHUNK_BYTES in src/api/upload.ts

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  response?: Record<string, string>;
}

/** Every request to the tus endpoint, with the headers sent and answered. */
function watchUploads(page: import('@playwright/test').Page): Seen[] {
  const seen: Seen[] = [];
  const byRequest = new Map<Request, Seen>();
  page.on('request', (req) => {
    if (!new URL(req.url()).pathname.startsWith('/api/v1/uploads')) return;
    const entry = { method: req.method(), url: req.url(), headers: req.headers() };
    byRequest.set(req, entry);
    seen.push(entry);
  });
  page.on('response', (res) => {
    const entry = byRequest.get(res.request());
    if (entry) void res.allHeaders().then((headers) => (entry.response = headers));
  });
  return seen;
}

/** A valid WAV of silence: 48 kHz stereo 16-bit, `bytes` of samples. */
function silentWav(path: string, bytes: number): void {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + bytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(2, 22); // stereo
  header.writeUInt32LE(48_000, 24);
  header.writeUInt32LE(48_000 * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(bytes, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.alloc(bytes)]));
}

const decode = (metadata: string) =>
  Object.fromEntries(
    metadata.split(',').map((pair) => {
      const [key = '', value = ''] = pair.trim().split(' ');
      return [key, Buffer.from(value, 'base64').toString('utf8')];
    }),
  );

test('a recording goes up over tus and its job completes', async ({ page, request }) => {
  await ensureAdmin(request);
  const seen = watchUploads(page);
  await signIn(page);

  const name = 'ljspeech_LJ002-0020.wav';
  await page.getByTestId('file-input').setInputFiles(join(SPEECH, name));
  const item = page.getByTestId('upload-item').filter({ hasText: name }).last();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

  // tus: created with the metadata and create_job, then the bytes, signed in every time.
  const creation = seen.find((entry) => entry.method === 'POST');
  expect(creation, JSON.stringify(seen)).toBeDefined();
  expect(creation?.headers['tus-resumable']).toBe('1.0.0');
  expect(creation?.headers.authorization).toMatch(/^Bearer /);
  expect(decode(creation?.headers['upload-metadata'] ?? '')).toMatchObject({
    filename: name,
    create_job: 'true',
    language: expect.any(String),
  });
  const patches = seen.filter((entry) => entry.method === 'PATCH');
  expect(patches.length).toBeGreaterThanOrEqual(1);
  expect(patches.every((entry) => entry.headers.authorization?.startsWith('Bearer '))).toBe(true);
  // The last PATCH named the job the server made; the row links to it.
  await expect.poll(() => patches.at(-1)?.response?.['upload-job-id']).toMatch(/^[0-9a-f-]{36}$/);
  const jobId = patches.at(-1)?.response?.['upload-job-id'] ?? '';
  await expect(item.getByRole('link', { name: 'Open' })).toHaveAttribute('href', `/jobs/${jobId}`);

  await item.getByRole('link', { name: 'Open' }).click();
  await expect(page.getByTestId('job-summary')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect(page.getByRole('list', { name: 'Transcript segments' })).not.toBeEmpty();
});

test('an upload cut off by a reload resumes from the server’s offset', async ({ page, request }) => {
  await ensureAdmin(request);
  const path = join(tmpdir(), 'e2e-resume-silence.wav');
  silentWav(path, 2 * CHUNK + 4 * MiB); // three PATCHes of at most 8 MiB
  const size = 2 * CHUNK + 4 * MiB + 44;
  const seen = watchUploads(page);
  await signIn(page);

  // Let the first chunk through, then hold the second one and reload the page meanwhile.
  let patches = 0;
  let held: Route | null = null;
  await page.route('**/api/v1/uploads/*', async (route) => {
    if (route.request().method() === 'PATCH' && ++patches === 2) {
      held = route;
      return;
    }
    await route.continue();
  });
  await page.getByTestId('file-input').setInputFiles(path);
  await expect.poll(() => held !== null, { timeout: 30_000 }).toBe(true);
  const first = seen.find((entry) => entry.method === 'PATCH');
  expect(first?.headers['upload-offset']).toBe('0');
  const uploadUrl = first?.url ?? '';
  await page.reload();
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await (held as Route | null)?.abort().catch(() => undefined);

  // The app remembers the unfinished upload and says how to go on.
  const notice = page.getByRole('note', { name: 'Unfinished uploads' });
  await expect(notice).toContainText('e2e-resume-silence.wav');
  const before = seen.length;

  // The same file again: no new upload; HEAD asks where the server stands, PATCH goes on there.
  await page.getByTestId('file-input').setInputFiles(path);
  const item = page.getByTestId('upload-item').filter({ hasText: 'e2e-resume-silence.wav' });
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(item).toContainText('Queued for transcription');
  await expect(notice).toBeHidden();

  const after = seen.slice(before);
  expect(
    after.filter((entry) => entry.method === 'POST'),
    JSON.stringify(after),
  ).toHaveLength(0);
  const head = after.find((entry) => entry.method === 'HEAD');
  expect(head?.url).toBe(uploadUrl);
  await expect.poll(() => head?.response?.['upload-offset']).toBe(String(CHUNK));
  const resumed = after.filter((entry) => entry.method === 'PATCH');
  expect(resumed.map((entry) => entry.headers['upload-offset'])).toEqual([String(CHUNK), String(2 * CHUNK)]);
  expect(resumed.every((entry) => entry.url === uploadUrl)).toBe(true);
  expect(Number(resumed.at(-1)?.headers['upload-offset']) + 4 * MiB + 44).toBe(size);
});

test('several files at once, and another tab’s upload, in the upload panel', async ({ page, request }) => {
  await ensureAdmin(request);
  const dir = tmpdir();
  const big = ['podcast-episode-12.wav', 'board-meeting-2026-03.wav', 'lecture-part-2.wav'].map((name) => {
    const path = join(dir, name);
    silentWav(path, 12 * MiB);
    return path;
  });
  const elsewhere = join(dir, 'town-hall-q1.wav');
  silentWav(elsewhere, 12 * MiB);
  const slow = async (tab: import('@playwright/test').Page) => {
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 1.5 * MiB,
    });
  };
  await signIn(page);
  await slow(page);

  // Another tab of the same session sends a file: this one shows it, read-only.
  const other = await page.context().newPage();
  await other.goto(page.url());
  await slow(other);
  await other.getByTestId('file-input').setInputFiles(elsewhere);

  await page.getByTestId('file-input').setInputFiles([join(SPEECH, 'jfk.wav'), ...big]);
  const items = page.getByTestId('upload-item');
  await expect(items).toHaveCount(4);
  await expect(items.first()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(items.nth(1)).toContainText(/Uploading [1-9]\d?%/, { timeout: 30_000 });
  await expect(items.nth(2)).toContainText(/Uploading [1-9]\d?%/, { timeout: 30_000 });
  await expect(items.nth(3)).toHaveAttribute('data-status', 'waiting');
  await expect(page.getByTestId('other-tab-upload')).toContainText('town-hall-q1.wav', { timeout: 30_000 });
  // Another tab's upload in progress is not offered as "unfinished" here.
  await expect(page.getByRole('note', { name: 'Unfinished uploads' })).toBeHidden();
  await page.mouse.move(0, 0);
  // The whole panel in view under the sticky header.
  await page.setViewportSize({ width: 1280, height: 1180 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shoot(page, 'upload-panel', true);

  // Leave nothing running for the next tests: cancelling deletes the bytes on the server.
  await other.close();
  for (const name of ['podcast-episode-12.wav', 'board-meeting-2026-03.wav', 'lecture-part-2.wav']) {
    await page.getByRole('button', { name: `Cancel upload of ${name}` }).click();
  }
  await expect(page.getByTestId('upload-item').filter({ hasText: 'lecture-part-2.wav' })).toHaveAttribute(
    'data-status',
    'cancelled',
  );
});
