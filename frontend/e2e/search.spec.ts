/**
 * Search against the real backend: a word from a real transcript finds its moment, the
 * hit opens the transcript with the audio there; the job list filters by transcript text.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureAdmin, signIn, uploadAndOpen } from './account';
import { SPEECH, shoot } from './shots';

test('search finds the moment and opens the transcript there; the job list filters by text', async ({
  page,
  request,
}) => {
  await ensureAdmin(request);
  await signIn(page);
  await uploadAndOpen(page, join(SPEECH, 'jfk.wav'));
  await expect(page.getByTestId('job-summary')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await page.getByRole('link', { name: 'All jobs', exact: true }).click();

  // The job list: a word that is only in the transcript finds the job.
  const filter = page.getByRole('searchbox', { name: 'Filter by file name or transcript text' });
  await filter.fill('country');
  await expect(page.getByTestId('job-row').filter({ hasText: 'jfk.wav' }).first()).toBeVisible();
  await filter.fill('xylophone');
  await expect(page.getByText(/in the file name or the transcript/)).toBeVisible();
  await filter.fill('');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
  await page.getByRole('searchbox', { name: 'Search your transcripts' }).fill('ask what you can do');
  const results = page.getByTestId('search-result');
  await expect(results.first()).toBeVisible();
  await expect(results.first().locator('mark').first()).toBeVisible();
  await expect(page).toHaveURL(/\/search\?q=ask\+what\+you\+can\+do$/);
  await page.mouse.move(0, 0);
  await shoot(page, 'search', true);

  const link = results.first().getByRole('link');
  const href = (await link.getAttribute('href')) ?? '';
  // The hit's segment start (0 when the decoder made JFK's 11 s one segment, as on some CPUs).
  const t = Number(new URL(href, 'http://x').searchParams.get('t'));
  expect(Number.isFinite(t) && t >= 0).toBe(true);
  await link.click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}\?t=/);
  await expect(page.locator('.segment--linked')).toContainText(/ask what you can do/i);
  const audio = page.getByTestId('audio');
  await expect
    .poll(() => audio.evaluate((el) => (el as HTMLAudioElement).currentTime), { timeout: 15_000 })
    .toBeCloseTo(t, 1);
});
