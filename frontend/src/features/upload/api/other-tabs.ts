/**
 * Uploads running in the person's other tabs (or browsers), from the live `upload.progress`
 * events: shown read-only next to this tab's own uploads. The tab that sends an upload gets
 * its events too; `useOtherTabUploads` leaves those out by upload id.
 */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { LiveEvent, UploadProgressData } from '@/api';

export interface OtherTabUpload extends UploadProgressData {
  /** When its last event arrived (ms since the epoch): a closed tab sends no more. */
  seenAt: number;
  /** When this tab first heard of it: the rows keep their order. */
  firstSeenAt: number;
}

export type OtherTabUploads = Readonly<Record<string, OtherTabUpload>>;

export const otherTabsKey = ['uploads', 'other-tabs'] as const;

/** A tab that went quiet this long is taken as closed (its upload resumes when reopened). */
export const QUIET_MS = 2 * 60_000;

export function applyUploadEvent(client: QueryClient, event: LiveEvent, now: number = Date.now()): void {
  if (event.type !== 'upload.progress') return;
  const data = event.data;
  client.setQueryData<OtherTabUploads>(otherTabsKey, (current = {}) => {
    const known = current[data.upload_id];
    const rest = Object.fromEntries(Object.entries(current).filter(([id]) => id !== data.upload_id));
    // Finished or refused: its job (or its refusal) is the sending tab's to show.
    if (data.status !== 'receiving') return rest;
    return { ...rest, [data.upload_id]: { ...data, seenAt: now, firstSeenAt: known?.firstSeenAt ?? now } };
  });
}

/** Other tabs' uploads still receiving bytes, oldest first. */
export function visibleOtherTabUploads(
  uploads: OtherTabUploads | undefined,
  own: ReadonlySet<string>,
  now: number,
): OtherTabUpload[] {
  return Object.values(uploads ?? {})
    .filter((upload) => !own.has(upload.upload_id) && now - upload.seenAt < QUIET_MS)
    .sort((a, b) => a.firstSeenAt - b.firstSeenAt || a.filename.localeCompare(b.filename));
}

export function useOtherTabUploads(): OtherTabUploads | undefined {
  return useQuery<OtherTabUploads>({
    queryKey: otherTabsKey,
    queryFn: () => Promise.resolve({}),
    enabled: false,
    staleTime: Infinity,
    gcTime: Infinity,
  }).data;
}
