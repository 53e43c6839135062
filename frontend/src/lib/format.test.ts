import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatMinutes,
  formatPercent,
  formatRelative,
  formatTimestamp,
  parseApiDate,
} from './format';

describe('formatTimestamp', () => {
  it.each([
    [0, '0:00'],
    [5.9, '0:05'],
    [65, '1:05'],
    [754, '12:34'],
    [3723, '1:02:03'],
    [36000, '10:00:00'],
  ])('%s s → %s', (seconds, expected) => {
    expect(formatTimestamp(seconds)).toBe(expected);
  });

  it('pads with hours when asked, so a long transcript lines up', () => {
    expect(formatTimestamp(65, { forceHours: true })).toBe('0:01:05');
  });

  it('treats missing, negative and non-finite values as zero', () => {
    expect(formatTimestamp(null)).toBe('0:00');
    expect(formatTimestamp(undefined)).toBe('0:00');
    expect(formatTimestamp(-3)).toBe('0:00');
    expect(formatTimestamp(Number.NaN)).toBe('0:00');
    expect(formatTimestamp(Number.POSITIVE_INFINITY)).toBe('0:00');
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [0, '0 s'],
    [0.4, '<1 s'],
    [11.04, '11 s'],
    [245, '4 min 05 s'],
    [3725, '1 h 02 min'],
  ])('%s → %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('parseApiDate', () => {
  it('reads a zone-less timestamp as UTC (the API speaks UTC)', () => {
    expect(parseApiDate('2026-11-27T02:00:00')?.toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(parseApiDate('2026-11-27T02:00:00.123456')?.getUTCHours()).toBe(2);
  });

  it('keeps an explicit zone', () => {
    expect(parseApiDate('2026-11-27T02:00:00Z')?.toISOString()).toBe('2026-11-27T02:00:00.000Z');
    expect(parseApiDate('2026-11-27T03:00:00+01:00')?.toISOString()).toBe('2026-11-27T02:00:00.000Z');
  });

  it('returns null for nothing or nonsense', () => {
    expect(parseApiDate(null)).toBeNull();
    expect(parseApiDate('')).toBeNull();
    expect(parseApiDate('yesterday')).toBeNull();
  });
});

describe('formatRelative', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('says "just now" for the last few seconds', () => {
    expect(formatRelative(ago(10), now, 'en')).toBe('just now');
  });

  it('uses the largest sensible unit', () => {
    expect(formatRelative(ago(5 * 60), now, 'en')).toBe('5 minutes ago');
    expect(formatRelative(ago(3 * 3600), now, 'en')).toBe('3 hours ago');
    expect(formatRelative(ago(26 * 3600), now, 'en')).toBe('yesterday');
  });

  it('shows a dash for an unknown date', () => {
    expect(formatRelative(null, now)).toBe('—');
  });
});

describe('formatBytes and formatPercent', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(352_000)).toBe('344 KB');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4.0 GB');
  });

  it('formats and clamps fractions', () => {
    expect(formatPercent(0.426)).toBe('42%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(1.7)).toBe('100%');
    expect(formatPercent(-1)).toBe('0%');
  });
});

describe('formatMinutes', () => {
  it.each([
    [0, '0 min'],
    [0.37, '0.4 min'],
    [12, '12 min'],
    [3210.4, '3,210 min'],
  ])('%s → %s', (minutes, expected) => {
    expect(formatMinutes(minutes, 'en-US')).toBe(expected);
  });

  it('shows a dash for what is not a count', () => {
    expect(formatMinutes(Number.NaN)).toBe('—');
    expect(formatMinutes(-1)).toBe('—');
  });
});
