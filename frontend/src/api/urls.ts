import { apiUrl } from './client';
import type { ExportFormat } from './types';

/**
 * The original media, for an <audio> element (which cannot send headers: when bearer
 * tokens arrive, the media needs a cookie or a short-lived signed URL instead).
 */
export function mediaUrl(jobId: string): string {
  return apiUrl(`/api/v1/jobs/${encodeURIComponent(jobId)}/media`);
}

/** Anyone's original media, for an administrator's <audio> element (the access cookie again). */
export function adminMediaUrl(jobId: string): string {
  return apiUrl(`/api/v1/admin/jobs/${encodeURIComponent(jobId)}/media`);
}

/**
 * A backup archive, for a plain download link: the browser sends the access cookie with
 * the GET, as it does for media, and saves the file itself however large it is.
 */
export function backupUrl(name: string): string {
  return apiUrl(`/api/v1/admin/backups/${encodeURIComponent(name)}`);
}

export function transcriptFileUrl(jobId: string, format: ExportFormat): string {
  return apiUrl(`/api/v1/jobs/${encodeURIComponent(jobId)}/transcript.${format}`);
}
