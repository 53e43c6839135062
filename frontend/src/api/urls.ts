import { apiUrl } from './client';
import type { ExportFormat } from './types';

/**
 * The original media, for an <audio> element (which cannot send headers: when bearer
 * tokens arrive, the media needs a cookie or a short-lived signed URL instead).
 */
export function mediaUrl(jobId: string): string {
  return apiUrl(`/api/v1/jobs/${encodeURIComponent(jobId)}/media`);
}

export function transcriptFileUrl(jobId: string, format: ExportFormat): string {
  return apiUrl(`/api/v1/jobs/${encodeURIComponent(jobId)}/transcript.${format}`);
}
