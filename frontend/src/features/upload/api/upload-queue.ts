/** The state of the files being sent: a reducer, so the logic is testable without React. */
import type { JobOptions, UploadedJob } from '@/api';

export type UploadStatus = 'waiting' | 'uploading' | 'processing' | 'done' | 'error' | 'cancelled';

export interface UploadItem {
  id: string;
  file: File;
  options: JobOptions;
  status: UploadStatus;
  loaded: number;
  total: number;
  job: UploadedJob | null;
  error: string | null;
  /** The server's id of the resumable upload, once created (its live events name it). */
  uploadId: string | null;
  /** Sending went on from where an earlier try of this file stopped. */
  resumed: boolean;
}

export type UploadAction =
  | { type: 'add'; items: { id: string; file: File; options: JobOptions }[] }
  | { type: 'start'; id: string }
  | { type: 'progress'; id: string; loaded: number; total: number }
  | { type: 'upload-id'; id: string; uploadId: string }
  | { type: 'resumed'; id: string }
  | { type: 'done'; id: string; job: UploadedJob }
  | { type: 'failed'; id: string; error: string }
  | { type: 'cancelled'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'dismiss'; id: string }
  | { type: 'clear-finished' };

export const CONCURRENT_UPLOADS = 2;

const FINISHED: readonly UploadStatus[] = ['done', 'error', 'cancelled'];

export function isFinished(item: UploadItem): boolean {
  return FINISHED.includes(item.status);
}

function update(items: UploadItem[], id: string, change: (item: UploadItem) => UploadItem): UploadItem[] {
  return items.map((item) => (item.id === id ? change(item) : item));
}

export function uploadReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case 'add':
      return [
        ...items,
        ...action.items.map(({ id, file, options }) => ({
          id,
          file,
          options,
          status: 'waiting' as const,
          loaded: 0,
          total: file.size,
          job: null,
          error: null,
          uploadId: null,
          resumed: false,
        })),
      ];
    case 'start':
      return update(items, action.id, (item) =>
        item.status === 'waiting' ? { ...item, status: 'uploading', error: null } : item,
      );
    case 'upload-id':
      return update(items, action.id, (item) => ({ ...item, uploadId: action.uploadId }));
    case 'resumed':
      return update(items, action.id, (item) => ({ ...item, resumed: true }));
    case 'progress':
      return update(items, action.id, (item) =>
        item.status === 'uploading' || item.status === 'processing'
          ? {
              ...item,
              loaded: action.loaded,
              total: action.total || item.total,
              // Every byte is sent: the server now stores and checks the file.
              status: action.total > 0 && action.loaded >= action.total ? 'processing' : 'uploading',
            }
          : item,
      );
    case 'done':
      return update(items, action.id, (item) => ({ ...item, status: 'done', loaded: item.total, job: action.job }));
    case 'failed':
      return update(items, action.id, (item) => ({ ...item, status: 'error', error: action.error }));
    case 'cancelled':
      return update(items, action.id, (item) => (isFinished(item) ? item : { ...item, status: 'cancelled' }));
    case 'retry':
      return update(items, action.id, (item) =>
        item.status === 'error' || item.status === 'cancelled' ? { ...item, status: 'waiting', error: null } : item,
      );
    case 'dismiss':
      return items.filter((item) => item.id !== action.id || !isFinished(item));
    case 'clear-finished':
      return items.filter((item) => !isFinished(item));
  }
}

/** The ids of the uploads this tab sends (their `upload.progress` events are not another tab's). */
export function ownUploadIds(items: readonly UploadItem[]): Set<string> {
  return new Set(items.flatMap((item) => (item.uploadId ? [item.uploadId] : [])));
}

/** The next items to start so that at most `limit` are in flight. */
export function nextToStart(items: readonly UploadItem[], limit = CONCURRENT_UPLOADS): UploadItem[] {
  const inFlight = items.filter((item) => item.status === 'uploading' || item.status === 'processing').length;
  const free = Math.max(0, limit - inFlight);
  return items.filter((item) => item.status === 'waiting').slice(0, free);
}
