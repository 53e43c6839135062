import type { JobStatus } from '@/api';
import { STATUS_LABEL } from '@/lib/job-status';

export function StatusBadge({ status }: { status: JobStatus }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}
