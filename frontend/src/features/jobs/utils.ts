import type { Job, JobStatus } from '@/api';

export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Transcribing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

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
