import { describe, expect, it } from 'vitest';
import type { JobOptions } from '@/api';
import { DEFAULT_OPTIONS } from '../options';
import { nextToStart, ownUploadIds, uploadReducer, type UploadItem } from './upload-queue';

const options: JobOptions = DEFAULT_OPTIONS;
const file = (name: string, size = 100) => new File([new Uint8Array(size)], name);

function queue(...names: string[]): UploadItem[] {
  return uploadReducer([], { type: 'add', items: names.map((name) => ({ id: name, file: file(name), options })) });
}

describe('uploadReducer', () => {
  it('adds files as waiting items with their size', () => {
    const items = queue('a.wav', 'b.wav');
    expect(items.map((i) => [i.id, i.status, i.total])).toEqual([
      ['a.wav', 'waiting', 100],
      ['b.wav', 'waiting', 100],
    ]);
  });

  it('moves through uploading, processing and done', () => {
    let items = queue('a.wav');
    items = uploadReducer(items, { type: 'start', id: 'a.wav' });
    items = uploadReducer(items, { type: 'progress', id: 'a.wav', loaded: 40, total: 100 });
    expect(items[0]).toMatchObject({ status: 'uploading', loaded: 40 });
    items = uploadReducer(items, { type: 'progress', id: 'a.wav', loaded: 100, total: 100 });
    expect(items[0]?.status).toBe('processing');
    items = uploadReducer(items, { type: 'done', id: 'a.wav', job: { id: 'j1', filename: 'a.wav' } });
    expect(items[0]).toMatchObject({ status: 'done', job: { id: 'j1' } });
  });

  it('keeps the error, and a retry waits again from what was sent (it resumes)', () => {
    let items = uploadReducer(queue('a.wav'), { type: 'start', id: 'a.wav' });
    items = uploadReducer(items, { type: 'progress', id: 'a.wav', loaded: 60, total: 100 });
    items = uploadReducer(items, { type: 'failed', id: 'a.wav', error: 'The connection was lost.' });
    expect(items[0]).toMatchObject({ status: 'error', error: 'The connection was lost.' });
    items = uploadReducer(items, { type: 'retry', id: 'a.wav' });
    expect(items[0]).toMatchObject({ status: 'waiting', error: null, loaded: 60 });
  });

  it('remembers the server upload id and whether it resumed', () => {
    let items = uploadReducer(queue('a.wav', 'b.wav'), { type: 'start', id: 'a.wav' });
    items = uploadReducer(items, { type: 'upload-id', id: 'a.wav', uploadId: 'u-1' });
    items = uploadReducer(items, { type: 'resumed', id: 'a.wav' });
    expect(items[0]).toMatchObject({ uploadId: 'u-1', resumed: true });
    expect(items[1]).toMatchObject({ uploadId: null, resumed: false });
    expect(ownUploadIds(items)).toEqual(new Set(['u-1']));
  });

  it('dismisses only finished items', () => {
    let items = uploadReducer(queue('a.wav', 'b.wav'), { type: 'cancelled', id: 'a.wav' });
    items = uploadReducer(items, { type: 'dismiss', id: 'b.wav' });
    expect(items).toHaveLength(2);
    items = uploadReducer(items, { type: 'clear-finished' });
    expect(items.map((i) => i.id)).toEqual(['b.wav']);
  });
});

describe('nextToStart', () => {
  it('starts at most two at a time, oldest first', () => {
    let items = queue('a', 'b', 'c');
    expect(nextToStart(items).map((i) => i.id)).toEqual(['a', 'b']);
    items = uploadReducer(items, { type: 'start', id: 'a' });
    expect(nextToStart(items).map((i) => i.id)).toEqual(['b']);
    items = uploadReducer(items, { type: 'start', id: 'b' });
    expect(nextToStart(items)).toEqual([]);
    items = uploadReducer(items, { type: 'done', id: 'a', job: { id: 'j', filename: 'a' } });
    expect(nextToStart(items).map((i) => i.id)).toEqual(['c']);
  });
});
