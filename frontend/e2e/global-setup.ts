import { logPath, startBackend } from './backend';

/** Start the real backend once for all tests; the returned function stops it. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const backend = await startBackend();
  process.env.E2E_BASE_URL = backend.url;
  console.log(`Backend at ${backend.url} (data in ${backend.dataDir}, log in ${logPath})`);
  return backend.stop;
}
