/**
 * Download a transcript file through fetch (so it carries the same credentials as every
 * other request, and an error shows as a message instead of a saved JSON file).
 */
import { authFetch } from './auth';
import { NetworkError, apiErrorFromText } from './errors';
import type { ExportFormat } from './types';
import { transcriptFileUrl } from './urls';

/** The file name of a Content-Disposition header (RFC 6266, UTF-8 form preferred). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() ?? fallback;
}

export async function downloadTranscript(jobId: string, format: ExportFormat): Promise<string> {
  let response: Response;
  try {
    response = await authFetch(new Request(transcriptFileUrl(jobId, format)));
  } catch {
    throw new NetworkError();
  }
  if (!response.ok) throw apiErrorFromText(response.status, await response.text());
  const blob = await response.blob();
  const filename = filenameFromDisposition(response.headers.get('content-disposition'), `transcript.${format}`);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return filename;
}
