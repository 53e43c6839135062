/**
 * Working with a finished transcript against the real backend: edit a segment, label and
 * rename a speaker, see the versions and go back to the model's text, then share a
 * read-only link, open it without an account, and revoke it.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { baseUrl, ensureAdmin, signIn, uploadAndOpen } from './account';
import { SPEECH, shoot } from './shots';

test('edit, label speakers, revert, share and revoke', async ({ page, request, browser }) => {
  await ensureAdmin(request);
  await signIn(page);
  await uploadAndOpen(page, join(SPEECH, 'jfk.wav'));
  await expect(page.getByTestId('job-summary')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });

  const segments = page.getByTestId('segment');
  await expect(segments.first()).toBeVisible();
  const first = segments.first();
  const original = (await first.locator('.segment__text').textContent()) ?? '';
  expect(original).toMatch(/fellow Americans/i);

  // Edit the text and set a speaker.
  await first.hover();
  await first.getByRole('button', { name: /^Edit the segment at/ }).click();
  const box = first.getByLabel(/^Text of the segment/);
  await box.fill('And so, my fellow Americans —');
  await first.getByLabel('Speaker').fill('SPEAKER_00');
  await first.getByRole('button', { name: 'Save' }).click();
  await expect(first).toContainText('And so, my fellow Americans —');
  await expect(first.locator('.segment__speaker')).toHaveText('SPEAKER_00');

  // Rename the speaker everywhere.
  const speakers = page.getByRole('group', { name: 'Speakers' });
  await speakers.getByRole('button', { name: /SPEAKER_00/ }).click();
  await speakers.getByLabel('New name for SPEAKER_00').fill('John F. Kennedy');
  await speakers.getByRole('button', { name: 'Rename everywhere' }).click();
  await expect(first.locator('.segment__speaker')).toHaveText('John F. Kennedy');

  // The edit survives a reload, and is what the export holds.
  await page.reload();
  await expect(first).toContainText('And so, my fellow Americans —');
  const txt = await page.request.get(`${page.url().replace(/\/jobs\//, '/api/v1/jobs/')}/transcript.txt`);
  expect(await txt.text()).toContain('And so, my fellow Americans —');

  // Versions, for the screenshot and the way back.
  await first.hover();
  await first.getByRole('button', { name: /^Versions of the segment/ }).click();
  await expect(first.getByTestId('segment-version')).toHaveCount(3);
  await page.mouse.move(0, 0);
  await page.setViewportSize({ width: 1280, height: 700 });
  await shoot(page, 'transcript-editing', true);
  await page.setViewportSize({ width: 1280, height: 860 });
  await first.getByRole('button', { name: 'Revert to the original' }).click();
  await expect(first.locator('.segment__text')).toHaveText(original);
  await first.getByRole('button', { name: 'Close' }).click();

  // Share with the audio, open the link without an account, then revoke it.
  await page.getByLabel('Expires after').selectOption({ label: '1 day' });
  await page.getByRole('checkbox', { name: /Include the audio/ }).check();
  await page.getByRole('button', { name: 'Create link' }).click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(new RegExp(`^${baseUrl()}/shared/`));

  const stranger = await browser.newContext();
  const publicPage = await stranger.newPage();
  await publicPage.goto(link);
  await expect(publicPage.getByRole('heading', { level: 1, name: 'jfk.wav' })).toBeVisible();
  await expect(publicPage.getByRole('list', { name: 'Transcript segments' })).toContainText(
    /ask not what your country/i,
  );
  await expect(publicPage.getByRole('button', { name: /^Edit the segment/ })).toHaveCount(0);
  await expect(publicPage.getByRole('button', { name: /Account menu/ })).toHaveCount(0);
  const audio = publicPage.getByTestId('audio');
  await expect
    .poll(() => audio.evaluate((el) => (el as HTMLAudioElement).readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);

  const row = page.getByTestId('share-row').filter({ hasText: 'with the audio' });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toHaveAttribute('data-state', 'revoked');
  await publicPage.reload();
  await expect(publicPage.getByText('This link shows nothing')).toBeVisible();
  await stranger.close();
});
