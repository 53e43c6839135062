/** The admin account the browser tests share, and signing in as it. */
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const ADMIN = { email: 'e2e-admin@example.com', password: 'e2e-password-0123456789' };

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: the global setup did not start the backend.');
  return url;
}

/** Make sure the admin exists (transcribe.spec.ts makes it through the setup page first). */
export async function ensureAdmin(request: APIRequestContext): Promise<void> {
  const response = await request.post(`${baseUrl()}/api/v1/auth/setup`, { data: ADMIN });
  expect([201, 200, 409]).toContain(response.status());
}

/** Sign in through the login page (as the shared admin unless told otherwise). */
export async function signIn(page: Page, who: { email: string; password: string } = ADMIN): Promise<void> {
  await page.goto(`${baseUrl()}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'New transcription' })).toBeVisible();
}

/** An access token for API calls the test makes itself. */
export async function apiToken(request: APIRequestContext): Promise<string> {
  const response = await request.post(`${baseUrl()}/api/v1/auth/login`, { data: ADMIN });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Upload one file from the dashboard and open its own job page (not an older job of the same name). */
export async function uploadAndOpen(page: Page, path: string): Promise<void> {
  const name = path.split('/').at(-1) ?? path;
  await page.getByTestId('file-input').setInputFiles(path);
  const item = page.getByTestId('upload-item').filter({ hasText: name }).last();
  await expect(item).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await item.getByRole('link', { name: 'Open' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}
