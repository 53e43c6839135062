/**
 * The whole path in a real browser against the real backend and the real tiny.en model:
 * create the admin account on the fresh server through the setup page, upload through the
 * file input, watch the job complete, read the transcript, click a
 * segment to seek the audio (the <audio> element relies on the sign-in cookie), download a
 * file, sign out and in again, create an API key (its secret is shown once and works), and
 * take the README screenshots.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, baseUrl } from './account';
import { SPEECH, shoot } from './shots';

const JFK = join(SPEECH, 'jfk.wav');

test('set up, upload, transcribe, read, play, download, sign out and in, API key', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource.*(415|404|401)/.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });

  // A fresh server: the app sends a visitor to sign in; the first account is made by setup.
  await page.goto(`${baseUrl()}/`);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await page.mouse.move(0, 0);
  await shoot(page, 'login', true);
  await page.getByRole('link', { name: 'Set up the admin account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create the admin account' })).toBeVisible();
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Repeat the password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create the admin account' }).click();
  await expect(page.getByRole('heading', { name: 'New transcription' })).toBeVisible();
  await expect(page.getByTestId('user-email')).toHaveText(ADMIN.email);
  await expect(page.getByText('No jobs yet')).toBeVisible();

  // A file that is not audio is refused with the server's own sentence.
  const notAudio = join(tmpdir(), 'notes-not-audio.wav');
  writeFileSync(notAudio, 'these are meeting notes, not audio\n'.repeat(50));
  const input = page.getByTestId('file-input');
  await input.setInputFiles(notAudio);
  const refused = page.getByTestId('upload-item').filter({ hasText: 'notes-not-audio.wav' });
  await expect(refused).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  const reason = (await refused.getByRole('alert').textContent()) ?? '';
  expect(reason.length).toBeGreaterThan(10);
  expect(reason).not.toMatch(/unexpected|traceback|status 500/i);
  await refused.getByRole('button', { name: /Dismiss/ }).click();

  // Two real recordings in one pick: each becomes its own job.
  await input.setInputFiles([JFK, join(SPEECH, 'hifitts_6097_roots_04_morris_0057.wav')]);
  const uploads = page.getByTestId('upload-item');
  await expect(uploads).toHaveCount(2);
  await expect(uploads.first()).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

  const row = page.getByTestId('job-row').filter({ has: page.getByRole('link', { name: 'jfk.wav', exact: true }) });
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect(row).toContainText('11 s');
  const other = page.getByTestId('job-row').filter({ hasText: 'hifitts_6097_roots_04_morris_0057.wav' });
  await expect(other).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });

  // A longer recording, so the dashboard shows a job at work next to finished ones.
  await input.setInputFiles(join(SPEECH, 'librivox_shakespeare_sonnet001_en.mp3'));
  const sonnet = page.getByTestId('job-row').filter({ hasText: 'librivox_shakespeare_sonnet001_en.mp3' });
  await expect
    .poll(
      async () =>
        (await sonnet.getAttribute('data-status')) === 'completed' ||
        Number(
          (await sonnet
            .getByRole('progressbar')
            .getAttribute('aria-valuenow')
            .catch(() => '0')) ?? 0,
        ) >= 10,
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.getByRole('button', { name: 'Clear finished' }).click();
  await expect(uploads).toHaveCount(0);
  await page.mouse.move(0, 0);
  await shoot(page, 'dashboard', true, true);

  // The job page: status, transcript, player.
  await row.getByRole('link', { name: 'jfk.wav', exact: true }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'jfk.wav' })).toBeVisible();
  const transcript = page.getByRole('list', { name: 'Transcript segments' });
  await expect(transcript).toContainText(/ask not what your country/i);

  // Deep links work (the server falls back to the app for its routes).
  const jobUrl = page.url();
  await page.goto(jobUrl);
  await expect(transcript).toContainText(/ask not what your country/i);

  const audio = page.getByTestId('audio');
  await expect
    .poll(() => audio.evaluate((el) => (el as HTMLAudioElement).readyState), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  expect(await audio.evaluate((el) => (el as HTMLAudioElement).duration)).toBeCloseTo(11, 0);

  // Clicking a segment seeks the audio to its start and lights the segment up. The audio is
  // first put well away from that start (how many segments JFK's 11 s make depends on the
  // word times the CPU's decoder gives, so the last one may also be the first).
  const segments = page.getByTestId('segment');
  const count = await segments.count();
  expect(count).toBeGreaterThanOrEqual(1);
  const later = segments.nth(count - 1);
  const start = Number(await later.getAttribute('data-start'));
  const away = start >= 2 ? start - 2 : start + 3;
  const currentTime = () => audio.evaluate((el) => (el as HTMLAudioElement).currentTime);
  await audio.evaluate((el, t) => {
    (el as HTMLAudioElement).currentTime = t;
  }, away);
  await expect.poll(async () => Math.abs((await currentTime()) - away)).toBeLessThan(0.1);
  await later.getByRole('button', { name: /Play from/ }).click();
  await expect.poll(async () => Math.abs((await currentTime()) - start)).toBeLessThan(1);
  await expect(later).toHaveAttribute('aria-current', 'true');

  // Clicking a word seeks to that word; freeze there for the screenshot.
  const first = segments.first();
  const word = first.locator('.word', { hasText: 'country' }).first();
  if ((await word.count()) > 0) {
    const wordStart = Number(await word.getAttribute('data-start'));
    await word.click();
    await audio.evaluate((el, t) => {
      const media = el as HTMLAudioElement;
      media.pause();
      media.currentTime = t + 0.05;
    }, wordStart);
    await expect(first).toHaveAttribute('aria-current', 'true');
    await expect(word).toHaveClass(/word--active/);
  } else {
    await audio.evaluate((el) => {
      (el as HTMLAudioElement).pause();
    });
  }
  await page.mouse.move(0, 0);
  await page.setViewportSize({ width: 1280, height: 600 });
  await shoot(page, 'transcript', true, true);
  await page.setViewportSize({ width: 1280, height: 860 });

  // Downloads come from the API with their proper names.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /^Download TXT/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.txt$/);
  const text = readFileSync(await download.path(), 'utf8');
  expect(text).toMatch(/ask not what your country/i);

  // Dark mode follows the toggle.
  const toggle = page.getByRole('button', { name: /theme/i });
  await toggle.click(); // system → light
  await toggle.click(); // light → dark
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await shoot(page, 'transcript-dark');

  // Back on the dashboard: cancel the long job if it is still at work.
  await page.getByRole('link', { name: 'All jobs', exact: true }).click();
  if (/queued|running/.test((await sonnet.getAttribute('data-status')) ?? '')) {
    await sonnet.getByRole('button', { name: /^Cancel / }).click();
  }
  await expect(sonnet).toHaveAttribute('data-status', /cancelled|completed/, { timeout: 30_000 });

  // The dashboard on a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  await shoot(page, 'dashboard-mobile', false, true);
  await page.setViewportSize({ width: 1280, height: 860 });
  await toggle.click(); // dark → system (light here)

  // Sign out: back to the sign-in page, and the app pages are closed.
  const menu = page.getByRole('button', { name: /^Account menu/ });
  await menu.click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(jobUrl);
  await expect(page).toHaveURL(/\/login\?next=/);

  // A wrong password is refused with the server's sentence; the right one leads back.
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email or password is not right.');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(jobUrl);
  await expect(transcript).toContainText(/ask not what your country/i);

  // An API key: the secret is shown once, and it works.
  await menu.click();
  await page.getByRole('link', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  await page.getByLabel('Name').fill('e2e script');
  await page.getByLabel('Access').selectOption('read');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secretField = page.getByTestId('api-key-secret');
  await expect(secretField).toBeVisible();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^wt_/);
  await expect(page.getByTestId('new-key')).toContainText('only time');
  const keyRow = page.getByTestId('api-key-row').filter({ hasText: 'e2e script' });
  await expect(keyRow).toContainText('Read only');
  await page.mouse.move(0, 0);
  await shoot(page, 'api-keys', true);
  const me = await request.get(`${baseUrl()}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ email: ADMIN.email, auth: 'api_key', scope: 'read' });
  await page.getByRole('button', { name: 'I have stored it' }).click();
  await expect(secretField).toHaveCount(0);
  await page.reload();
  await expect(keyRow).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByTestId('api-key-secret')).toHaveCount(0);

  expect(problems).toEqual([]);
});
