/**
 * Administration against the real backend: an admin sets a person's audio quota and both
 * see it in force, finds that person's job among everyone's and reads it (media through the
 * access cookie), makes a backup and downloads it, sees the worker, and finds the audit
 * rows of these actions.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { apiToken, baseUrl, ensureAdmin, signIn, uploadAndOpen } from './account';
import { SPEECH, shoot } from './shots';

test('an admin sets a quota, reads someone’s job, makes a backup and finds it all in the audit log', async ({
  page,
  browser,
  request,
}) => {
  await ensureAdmin(request);
  const listener = { email: `ada.${Date.now().toString(36)}@example.com`, password: 'listener-password-0123' };
  const created = await request.post(`${baseUrl()}/api/v1/admin/users`, {
    headers: { Authorization: `Bearer ${await apiToken(request)}` },
    data: listener,
  });
  expect(created.status()).toBe(201);
  const listenerId = ((await created.json()) as { id: string }).id;

  // The listener, in a browser of their own, transcribes a recording.
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  await signIn(theirPage, listener);
  await uploadAndOpen(theirPage, join(SPEECH, 'jfk.wav'));
  await expect(theirPage.getByTestId('job-summary')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });

  // The admin opens them in the users table and gives them 500 minutes a month.
  await signIn(page);
  await page.goto(`${baseUrl()}/admin`);
  await page.getByRole('button', { name: `Usage and quotas of ${listener.email}` }).click();
  const details = page.getByTestId('user-details');
  const audio = details.getByTestId('usage-meter').nth(1);
  await expect(audio).toContainText('of 10,000 min'); // the server default, before
  await details.getByRole('combobox', { name: 'Audio per month limit' }).selectOption('limit');
  await details.getByRole('spinbutton', { name: 'Audio per month in minutes' }).fill('500');
  await details.getByRole('button', { name: 'Save quotas' }).click();
  await expect(page.getByText(`Quotas of ${listener.email} saved`)).toBeVisible();
  await expect(audio).toContainText('0.2 min of 500 min');
  await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss' }).click();
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header belongs at the top of a full-page shot
  await shoot(page, 'admin', true, true);

  // The listener sees the new limit on their own usage page.
  await theirPage.goto(`${baseUrl()}/account/usage`);
  await expect(theirPage.getByTestId('usage-meter').nth(1)).toContainText('0.2 min of 500 min');
  await theirs.close();

  // Their job among everyone's, opened read-only; the recording plays through the cookie.
  await details.getByRole('link', { name: 'Their jobs' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/jobs\\?owner=${listenerId}$`));
  await expect(page.getByRole('combobox', { name: 'Owner' })).toHaveValue(listenerId);
  const row = page.getByTestId('admin-job-row').filter({ hasText: 'jfk.wav' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Completed');
  await shoot(page, 'admin-jobs');
  await row.getByRole('link', { name: 'jfk.wav' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'jfk.wav' })).toBeVisible();
  await expect(page.getByText('Someone else’s job, read-only')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Transcript segments' })).toContainText(/ask not what your country/i);
  const media = (await page.getByTestId('audio').getAttribute('src')) ?? '';
  expect(media).toMatch(/\/api\/v1\/admin\/jobs\/[0-9a-f-]{36}\/media$/);
  expect((await page.request.get(new URL(media, baseUrl()).toString())).status()).toBe(200);
  await shoot(page, 'admin-job');

  // A backup now, listed and downloaded with the same cookie.
  await page.goto(`${baseUrl()}/admin/backups`);
  const before = await page.getByTestId('backup-row').count();
  await page.getByRole('button', { name: 'Make a backup now' }).click();
  await expect(page.getByTestId('backup-row')).toHaveCount(before + 1, { timeout: 60_000 });
  const newest = page.getByTestId('backup-row').first();
  const name = (await newest.locator('code').textContent()) ?? '';
  expect(name).toMatch(/^backup-.*\.tar\.gz$/);
  const downloading = page.waitForEvent('download');
  await newest.getByRole('link', { name: `Download ${name}` }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(name);
  expect(statSync(await download.path()).size).toBeGreaterThan(1000);
  await shoot(page, 'admin-backups');

  // The worker that ran the job.
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Workers' }).click();
  await expect(page.getByTestId('worker-row').first()).toContainText('Alive');
  await shoot(page, 'admin-workers');

  // The audit log has both actions, with who did them and to what.
  await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit log' }).click();
  const action = page.getByRole('combobox', { name: 'Action' });
  await action.fill('user.quota_changed');
  await expect(page).toHaveURL(/action=user\.quota_changed/);
  const quotaRow = page.getByTestId('audit-row').filter({ hasText: listener.email }).first();
  await expect(quotaRow).toContainText('quota_audio_minutes_per_month');
  await expect(quotaRow).toContainText('500');
  await action.fill('backup.created');
  await expect(page.getByTestId('audit-row').filter({ hasText: name })).toHaveCount(1);
  await expect(page.getByTestId('audit-row').filter({ hasText: name })).toContainText('e2e-admin@example.com');
  await shoot(page, 'admin-audit');
});
