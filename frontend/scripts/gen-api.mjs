#!/usr/bin/env node
// Regenerate the typed API client from the backend's OpenAPI schema.
//
//   npm run gen:api          write openapi.json and src/api/schema.d.ts
//   npm run check:api        fail (exit 1) when the committed files are stale
//
// The schema comes from the FastAPI app itself (no server needed):
//   ../.venv/bin/python -c "from transcriber.app import create_app; ..."
// Set TRANSCRIBER_PYTHON to use another interpreter.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const schemaJson = join(root, 'openapi.json');
const schemaTs = join(root, 'src', 'api', 'schema.d.ts');
const python = process.env.TRANSCRIBER_PYTHON ?? resolve(root, '..', '.venv', 'bin', 'python');
const check = process.argv.includes('--check');

const DUMP = [
  'import json',
  'from transcriber.app import create_app',
  'print(json.dumps(create_app().openapi(), indent=2, ensure_ascii=False))',
].join('; ');

function dumpSchema() {
  if (!existsSync(python)) {
    console.error(`No Python at ${python}: create the backend venv first (make install).`);
    process.exit(2);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'transcriber-openapi-'));
  try {
    return execFileSync(python, ['-c', DUMP], {
      encoding: 'utf8',
      env: { ...process.env, TRANSCRIBER_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    console.error(`Could not read the OpenAPI schema with ${python} (see the error above).`);
    process.exit(2);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const HEADER = `/**
 * GENERATED from the backend's OpenAPI schema by \`npm run gen:api\` — do not edit.
 * Source: src/transcriber (FastAPI); regenerate after changing an endpoint or schema.
 */

`;

const json = dumpSchema();
const ast = await openapiTS(JSON.parse(json), {
  alphabetize: false,
  exportType: false,
  rootTypes: false,
});
const ts = HEADER + astToString(ast);

if (check) {
  const stale = [];
  const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  if (read(schemaJson) !== json) stale.push('openapi.json');
  if (read(schemaTs) !== ts) stale.push('src/api/schema.d.ts');
  if (stale.length > 0) {
    console.error(`Stale generated API files: ${stale.join(', ')}. Run \`npm run gen:api\`.`);
    process.exit(1);
  }
  console.log('The generated API client matches the backend.');
} else {
  writeFileSync(schemaJson, json);
  writeFileSync(schemaTs, ts);
  console.log(`Wrote ${schemaJson} and ${schemaTs}`);
}
