#!/usr/bin/env node
// Render the PNG app icons from the SVGs with Debian's Chromium (run after editing an icon):
//   node scripts/render-icons.mjs
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const pub = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
for (const [svg, png, size] of [
  ['icon.svg', 'icon-192.png', 192],
  ['icon.svg', 'icon-512.png', 512],
  ['icon-maskable.svg', 'icon-maskable-512.png', 512],
]) {
  await page.setViewportSize({ width: size, height: size });
  const markup = readFileSync(join(pub, svg), 'utf8');
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${markup.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  await page.screenshot({ path: join(pub, png), omitBackground: true });
  console.log(`wrote public/${png}`);
}
await browser.close();
