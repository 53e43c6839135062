import type { ReactNode } from 'react';
import type { Job } from '@/api';
import { formatDateTime, formatDuration, formatLanguage, parseApiDate } from '@/lib/format';
import { JobActions } from './job-actions';
import { JobProgress } from './job-progress';
import { Alert, StatusBadge } from '@/components';
import { isActive, paceText, requeueText } from '../utils';
import { useJobPace, useJobRequeue } from '../api/live';

export interface JobSummaryProps {
  job: Job;
  onDeleted?: () => void;
  /** Other actions in place of the owner's (cancel, retry, delete): an administrator's, say. */
  actions?: ReactNode;
}

/** The head of a job page: name, status, progress, facts and actions. */
export function JobSummary({ job, onDeleted, actions }: JobSummaryProps) {
  const pace = paceText(useJobPace(job.id));
  const requeue = useJobRequeue(job);
  return (
    <section className="job-summary" aria-label="Job" data-testid="job-summary" data-status={job.status}>
      <div className="job-summary__top">
        <div className="job-summary__title-wrap">
          <h1 className="job-summary__title break-anywhere">{job.filename}</h1>
          <StatusBadge status={job.status} />
        </div>
        {actions ?? <JobActions job={job} onDeleted={onDeleted} />}
      </div>
      <dl className="facts">
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(job.duration_s)}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{job.model}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{formatLanguage(job.language)}</dd>
        </div>
        <div>
          <dt>Task</dt>
          <dd>{job.task === 'translate' ? 'Translated to English' : 'Transcribe'}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatDateTime(parseApiDate(job.created_at))}</dd>
        </div>
        {job.finished_at && (
          <div>
            <dt>Finished</dt>
            <dd>{formatDateTime(parseApiDate(job.finished_at))}</dd>
          </div>
        )}
      </dl>
      {(job.status === 'running' || job.status === 'queued') && (
        <div className="job-summary__progress">
          <JobProgress job={job} size="md" />
          <p className="muted small" data-testid="job-pace">
            {job.status === 'queued'
              ? requeue
                ? requeueText(requeue)
                : 'Waiting for a worker to pick this job up…'
              : `${pace ? `${pace}. ` : ''}The transcript below grows as segments arrive.`}
          </p>
        </div>
      )}
      {job.status === 'failed' && (
        <Alert title="Transcription failed">{job.error ?? 'The worker gave no reason.'}</Alert>
      )}
      {job.partial && !isActive(job.status) && (
        <Alert tone="info" title="Partial transcript">
          The job stopped before the end of the media; what was transcribed until then is kept below.
        </Alert>
      )}
    </section>
  );
}
