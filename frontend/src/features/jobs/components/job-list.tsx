import { Link } from 'react-router';
import type { Job } from '@/api';
import { Icon, StatusBadge } from '@/components';
import { formatDateTime, formatDuration, formatLanguage, formatRelative, parseApiDate } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { JobActions } from './job-actions';
import { JobProgress } from './job-progress';
import { isActive, requeueText } from '../utils';
import { useJobRequeue } from '../api/live';

export function JobList({ jobs }: { jobs: readonly Job[] }) {
  const now = useNow();
  return (
    <div className="job-table">
      <div className="job-table__head" aria-hidden="true">
        <span>File</span>
        <span>Status</span>
        <span>Duration</span>
        <span>Created</span>
        <span />
      </div>
      <ul className="job-table__body" aria-label="Jobs">
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} now={now} />
        ))}
      </ul>
    </div>
  );
}

/** Why a job is back in the queue (heard live, or as the server keeps it). */
function RequeueNote({ job }: { job: Job }) {
  const requeue = useJobRequeue(job);
  if (!requeue) return null;
  const text = requeueText(requeue);
  return (
    <span className="job-row__note" title={text} data-testid="job-requeue">
      {text}
    </span>
  );
}

function JobRow({ job, now }: { job: Job; now: Date }) {
  const created = parseApiDate(job.created_at);
  return (
    <li className={`job-row job-row--${job.status}`} data-testid="job-row" data-status={job.status}>
      <div className="job-row__file">
        <span className="job-row__icon" aria-hidden="true">
          <Icon name="file" size={20} />
        </span>
        <div className="job-row__name-wrap">
          <Link className="job-row__name" to={`/jobs/${job.id}`} title={job.filename}>
            {job.filename}
          </Link>
          <span className="job-row__meta">
            {job.model} · {formatLanguage(job.language)}
            {job.task === 'translate' ? ' → English' : ''}
            {job.partial && !isActive(job.status) ? ' · partial transcript' : ''}
          </span>
        </div>
      </div>
      <div className="job-row__status">
        <StatusBadge status={job.status} />
        <JobProgress job={job} />
        {job.status === 'failed' && job.error && (
          <span className="job-row__error" title={job.error}>
            {job.error}
          </span>
        )}
        {job.status === 'queued' && <RequeueNote job={job} />}
      </div>
      <div className="job-row__duration">
        <span className="job-row__label">Duration</span>
        {formatDuration(job.duration_s)}
      </div>
      <div className="job-row__created">
        <span className="job-row__label">Created</span>
        <time dateTime={job.created_at} title={formatDateTime(created)}>
          {formatRelative(created, now)}
        </time>
      </div>
      <div className="job-row__actions">
        <JobActions job={job} compact />
      </div>
    </li>
  );
}
