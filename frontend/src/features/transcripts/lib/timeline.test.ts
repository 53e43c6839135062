import { describe, expect, it } from 'vitest';
import { findActiveIndex, isLowConfidence, positionAt } from './timeline';

const segments = [
  { start: 0, end: 4 },
  { start: 4.5, end: 8 },
  { start: 8, end: 11 },
  { start: 20, end: 25 },
];

describe('findActiveIndex', () => {
  it('finds the segment that contains the time', () => {
    expect(findActiveIndex(segments, 0)).toBe(0);
    expect(findActiveIndex(segments, 3.99)).toBe(0);
    expect(findActiveIndex(segments, 5)).toBe(1);
    expect(findActiveIndex(segments, 24.9)).toBe(3);
  });

  it('switches exactly at a boundary (start inclusive, end exclusive)', () => {
    expect(findActiveIndex(segments, 8)).toBe(2);
  });

  it('returns -1 before the first, in gaps and after the last', () => {
    expect(findActiveIndex([{ start: 1, end: 2 }], 0.5)).toBe(-1);
    expect(findActiveIndex(segments, 4.2)).toBe(-1);
    expect(findActiveIndex(segments, 15)).toBe(-1);
    expect(findActiveIndex(segments, 30)).toBe(-1);
  });

  it('bridges short gaps with slack', () => {
    expect(findActiveIndex(segments, 4.2, 0.5)).toBe(0);
    expect(findActiveIndex(segments, 15, 0.5)).toBe(-1);
  });

  it('copes with empty lists and bad times', () => {
    expect(findActiveIndex([], 1)).toBe(-1);
    expect(findActiveIndex(segments, Number.NaN)).toBe(-1);
  });

  it('stays right on long transcripts (binary search)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({ start: i * 3, end: i * 3 + 2.5 }));
    expect(findActiveIndex(many, 3 * 7777 + 1)).toBe(7777);
    expect(findActiveIndex(many, 3 * 7777 + 2.7)).toBe(-1);
  });
});

describe('positionAt', () => {
  const withWords = [
    {
      start: 0,
      end: 2,
      words: [
        { start: 0, end: 0.8 },
        { start: 0.9, end: 2 },
      ],
    },
    { start: 3, end: 5, words: null },
  ];

  it('gives the segment and the word at a time', () => {
    expect(positionAt(withWords, 1.2)).toEqual({ segment: 0, word: 1 });
    expect(positionAt(withWords, 0.85)).toEqual({ segment: 0, word: -1 });
  });

  it('has no word for a segment without word timings', () => {
    expect(positionAt(withWords, 4)).toEqual({ segment: 1, word: -1 });
  });

  it('keeps a segment lit through a short pause, not a long one', () => {
    expect(positionAt(withWords, 2.3).segment).toBe(0);
    expect(positionAt(withWords, 2.9).segment).toBe(-1);
  });
});

describe('isLowConfidence', () => {
  it('marks words under 0.5', () => {
    expect(isLowConfidence({ probability: 0.49 })).toBe(true);
    expect(isLowConfidence({ probability: 0.5 })).toBe(false);
    expect(isLowConfidence({ probability: 0.98 })).toBe(false);
  });
});
