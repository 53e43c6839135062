import type { Job } from '@/api';
import { ProgressBar } from '@/components';
import { formatPercent } from '@/lib/format';

/** Progress of a queued or running job; nothing for a finished one. */
export function JobProgress({
  job,
  size = 'sm',
}: {
  job: Pick<Job, 'status' | 'progress' | 'filename'>;
  size?: 'sm' | 'md';
}) {
  if (job.status === 'queued') {
    return <ProgressBar value={null} size={size} tone="muted" label={`${job.filename}: waiting for a worker`} />;
  }
  if (job.status !== 'running') return null;
  return (
    <div className="job-progress">
      <ProgressBar value={job.progress} size={size} label={`${job.filename}: transcription progress`} />
      <span className="job-progress__pct">{formatPercent(job.progress)}</span>
    </div>
  );
}
