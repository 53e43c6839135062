/**
 * Live updates in a real browser, real backend, real tiny.en model: upload a recording,
 * open its job page at once, and watch progress and segments arrive over the WebSocket
 * (no reload, no polling of the transcript) until the job completes.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureAdmin, signIn, uploadAndOpen } from './account';
import { SPEECH, shoot } from './shots';

const SONNET = join(SPEECH, 'librivox_shakespeare_sonnet001_en.mp3');

test('the job page shows progress and segments live, without reload', async ({ page, request }) => {
  await ensureAdmin(request);
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    if (socket.url().includes('/api/v1/ws')) socket.on('framereceived', (frame) => frames.push(String(frame.payload)));
  });
  const transcriptGets: string[] = [];
  page.on('request', (req) => {
    if (req.method() === 'GET' && /\/api\/v1\/jobs\/[^/]+\/transcript$/.test(new URL(req.url()).pathname)) {
      transcriptGets.push(req.url());
    }
  });
  await signIn(page);

  // An initial prompt makes the worker use the sequential decoder, which writes segments
  // as it goes (the batched one writes a 53 s file in one or two bursts).
  await page.getByText('More options').click();
  await page.getByLabel('Initial prompt').fill('A sonnet by Shakespeare.');
  await uploadAndOpen(page, SONNET);
  // A marker that a reload would wipe.
  await page.evaluate(() => {
    (window as unknown as { stillHere: boolean }).stillHere = true;
  });

  // Segments appear one after another, and progress moves, while the job runs.
  const segments = page.getByTestId('segment');
  const counts = new Set<number>();
  const progress = new Set<string>();
  const bar = page.getByRole('progressbar');
  let shot = false;
  await expect
    .poll(
      async () => {
        const count = await segments.count();
        counts.add(count);
        if (!shot && count >= 2 && (await page.getByTestId('job-summary').getAttribute('data-status')) === 'running') {
          shot = true; // the README's picture of a transcript growing live
          await page.mouse.move(0, 0);
          await shoot(page, 'transcript-live', true);
        }
        const value = await bar.getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
        if (value !== null) progress.add(value);
        return page.getByTestId('job-summary').getAttribute('data-status');
      },
      { timeout: 120_000, intervals: [200] },
    )
    .toBe('completed');
  await expect(page.getByRole('list', { name: 'Transcript segments' })).toContainText(/beauty|rose|fairest/i);
  const seen = [...counts].filter((n) => n > 0);
  expect(seen.length, `segment counts seen: ${[...counts].join(', ')}`).toBeGreaterThanOrEqual(2);
  // The worker reports progress per batch of segments (once per 30 s window here): a value
  // between the start and the end is what shows progress moving on the page.
  const midway = [...progress].map(Number).filter((value) => value > 0 && value < 100);
  expect(midway.length, `progress values seen: ${[...progress].join(', ')}`).toBeGreaterThanOrEqual(1);

  // No reload, and the transcript came over the socket: fetched when the page opened, after
  // the socket said ready, and once more when the job completed; never polled.
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  expect(frames.some((f) => f.includes('"job.segment"'))).toBe(true);
  expect(frames.some((f) => f.includes('"job.progress"'))).toBe(true);
  expect(frames.some((f) => f.includes('"job.completed"'))).toBe(true);
  expect(transcriptGets.length, transcriptGets.join('\n')).toBeLessThanOrEqual(3);
});
