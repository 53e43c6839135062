import type { Job, JobStatus } from '@/api';
import { formatDuration, parseApiDate } from '@/lib/format';
import type { JobPace, JobRequeue } from './api/live';

export { STATUS_LABEL } from '@/lib/job-status';

/** Still changing on the server: worth watching. */
export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function canCancel(job: Pick<Job, 'status'>): boolean {
  return isActive(job.status);
}

export function canRetry(job: Pick<Job, 'status'>): boolean {
  return job.status === 'failed' || job.status === 'cancelled';
}

export function anyActive(jobs: readonly Pick<Job, 'status'>[]): boolean {
  return jobs.some((job) => isActive(job.status));
}

/** "3.2× realtime · about 40 s left", from the live progress events; '' while unknown. */
export function paceText(pace: JobPace | undefined): string {
  if (!pace) return '';
  const parts: string[] = [];
  if (pace.speed !== null && pace.speed > 0) parts.push(`${pace.speed.toFixed(1)}× realtime`);
  if (pace.eta_s !== null) parts.push(pace.eta_s < 1 ? 'almost done' : `about ${formatDuration(pace.eta_s)} left`);
  return parts.join(' · ');
}

/** "Queued again after 1 try: The worker was lost. Next try at 14:05." */
export function requeueText(requeue: JobRequeue, locale?: string): string {
  const reason = requeue.reason.trim().replace(/\.?$/, '.');
  const at = parseApiDate(requeue.retry_at);
  const when = at ? ` Next try at ${at.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })}.` : '';
  const n = requeue.attempts;
  const after = n > 0 ? ` after ${n} ${n === 1 ? 'try' : 'tries'}` : '';
  return `Queued again${after}: ${reason}${when}`;
}
