/** Test media and screenshots shared by the browser tests. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { frontendDir } from './backend';

export const SPEECH = process.env.SPEECH_DIR ?? resolve(frontendDir, '..', '..', 'shared', 'testdata', 'speech');
const SCREENSHOTS = join(frontendDir, 'e2e', 'screenshots');
const DOC_IMAGES = resolve(frontendDir, '..', 'docs', 'images');
// E2E_DOC_SCREENSHOTS=1 also refreshes the README images in docs/images.
const WRITE_DOC_IMAGES = process.env.E2E_DOC_SCREENSHOTS === '1';

export async function shoot(page: Page, name: string, alsoForDocs = false, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  if (alsoForDocs && WRITE_DOC_IMAGES) {
    mkdirSync(DOC_IMAGES, { recursive: true });
    writeFileSync(join(DOC_IMAGES, `${name}.png`), readFileSync(path));
  }
}
