import type { JobStatus } from '@/api';

/** A job's status for people; the job list, the job page and the admin pages say the same. */
export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: 'Queued',
  running: 'Transcribing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
