/** Formatting of times, durations, dates and sizes for display. Pure functions. */

/** A media position as a clock: 0:05, 12:34, 1:02:03 (hours only when needed). */
export function formatTimestamp(seconds: number | null | undefined, options: { forceHours?: boolean } = {}): string {
  const total = Number.isFinite(seconds) && (seconds ?? 0) > 0 ? Math.floor(seconds ?? 0) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h > 0 || options.forceHours) return `${h}:${String(m).padStart(2, '0')}:${ss}`;
  return `${m}:${ss}`;
}

/** A length of audio for people: "11 s", "4 min 05 s", "1 h 02 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return seconds === 0 ? '0 s' : '<1 s';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}

/**
 * Parse a timestamp from the API. A value without a zone (SQLite drops it) is UTC, as
 * every timestamp of the API is; `new Date()` alone would read it as local time.
 */
export function parseApiDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const hasZone = /(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(value);
  const date = new Date(hasZone ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "yesterday". */
export function formatRelative(date: Date | null, now: Date = new Date(), locale?: string): string {
  if (!date) return '—';
  const diff = (date.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (abs >= size * 0.9 || unit === 'minute') return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(Math.round(diff / 60), 'minute');
}

export function formatDateTime(date: Date | null, locale?: string): string {
  if (!date) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit] ?? 'TB'}`;
}

/** Minutes of audio: "0.4 min", "3,210 min" (a tenth while small, whole minutes from 100 on). */
export function formatMinutes(minutes: number, locale?: string): string {
  if (!Number.isFinite(minutes) || minutes < 0) return '—';
  const digits = minutes < 100 ? 1 : 0;
  return `${minutes.toLocaleString(locale, { maximumFractionDigits: digits })} min`;
}

/** 0..1 → "42%". */
export function formatPercent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return `${Math.floor(clamped * 100)}%`;
}

const languageNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'language' });
  } catch {
    return null;
  }
})();

/** "en" → "English"; unknown codes come back as they are. */
export function formatLanguage(code: string | null | undefined): string {
  if (!code) return 'Auto-detect';
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}
