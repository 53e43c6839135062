/**
 * The app's environment, read and checked once at start: a wrong value fails loudly
 * here instead of as a puzzling request later.
 */
export interface Env {
  /** Prefix of every API URL: '' (same origin, the default) or e.g. 'https://transcribe.example'. */
  apiBaseUrl: string;
  /** How often queued or running jobs are re-fetched while the live connection is down. */
  pollIntervalMs: number;
}

export function parseEnv(raw: Partial<Record<string, string | undefined>>): Env {
  const base = (raw.VITE_API_BASE_URL ?? '').trim().replace(/\/+$/, '');
  if (base !== '' && !/^https?:\/\/[^/]+/.test(base)) {
    throw new Error(`VITE_API_BASE_URL must be empty or an http(s) origin, not "${base}".`);
  }
  const pollRaw = (raw.VITE_POLL_INTERVAL_MS ?? '').trim();
  const poll = pollRaw === '' ? 5000 : Number(pollRaw);
  if (!Number.isInteger(poll) || poll < 250 || poll > 60_000) {
    throw new Error(`VITE_POLL_INTERVAL_MS must be a whole number from 250 to 60000, not "${pollRaw}".`);
  }
  return { apiBaseUrl: base, pollIntervalMs: poll };
}

export const env: Env = parseEnv(import.meta.env);
