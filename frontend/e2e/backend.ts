/**
 * Start and stop the real backend for the browser tests (used by global-setup.ts).
 *
 * Default: `python e2e/serve.py` (migrations + worker + API + the built app on one port).
 * E2E_SERVER=cli uses `transcriber serve` itself, once `create_app` mounts the web app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const frontendDir = resolve(here, '..');
const repoDir = resolve(frontendDir, '..');
const venvBin = process.env.TRANSCRIBER_VENV_BIN ?? join(repoDir, '.venv', 'bin');
export const logPath = join(tmpdir(), 'transcriber-e2e-backend.log');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The backend exited early with code ${child.exitCode}.`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The backend did not answer ${url}/healthz within ${timeoutMs / 1000} s.`);
}

export interface Backend {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const dist = join(frontendDir, 'dist', 'index.html');
  if (!existsSync(dist)) throw new Error('No frontend/dist: run `npm run build` first (`npm run e2e` does).');
  const python = join(venvBin, 'python');
  if (!existsSync(python)) throw new Error(`No backend venv at ${venvBin}: run \`make install\` in the repo root.`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'transcriber-e2e-'));
  const cli = process.env.E2E_SERVER === 'cli';
  const command = cli ? join(venvBin, 'transcriber') : python;
  const args = cli
    ? ['serve', '--host', '127.0.0.1', '--port', String(port)]
    : [join(frontendDir, 'e2e', 'serve.py'), '--port', String(port)];

  // The server's and worker's output go to a log file (E2E_VERBOSE=1 shows them instead).
  const verbose = process.env.E2E_VERBOSE === '1';
  const log = openSync(logPath, 'w');
  const child = spawn(command, args, {
    cwd: repoDir,
    // Its own process group: stopping it also stops the worker it started.
    detached: true,
    stdio: verbose ? ['ignore', 'inherit', 'inherit'] : ['ignore', log, log],
    env: {
      ...process.env,
      TRANSCRIBER_DATA_DIR: dataDir,
      TRANSCRIBER_ENVIRONMENT: 'test',
      PYTHONUNBUFFERED: '1',
    },
  });

  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      try {
        // The server stops its worker itself; the group is killed only if that hangs.
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000));
      if ((await Promise.race([exited, timer])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  // No account is seeded: the test creates the admin through the app's setup page.
  try {
    await waitForHealth(url, child, 90_000);
  } catch (error) {
    await stop();
    closeSync(log);
    if (!verbose) console.error(readFileSync(logPath, 'utf8').slice(-4000));
    throw error;
  }
  closeSync(log);
  return { url, dataDir, stop };
}
