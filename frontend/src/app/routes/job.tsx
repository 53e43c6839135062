import { useEffect } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isNotFound } from '@/api';
import { Button, EmptyState, ErrorAlert, Icon, Spinner } from '@/components';
import { useMe } from '@/features/auth';
import { JobSummary, useJob } from '@/features/jobs';
import { SharePanel, TranscriptPanel } from '@/features/transcripts';

export function JobRoute() {
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const job = useJob(jobId);
  const me = useMe();
  const filename = job.data?.filename;
  // `?t=12.5` (a search result): open with the media and the transcript at that time.
  const [params] = useSearchParams();
  const t = Number(params.get('t'));
  const startAt = params.has('t') && Number.isFinite(t) && t >= 0 ? t : undefined;

  useEffect(() => {
    document.title = `${filename ?? 'Job'} · Whisper Transcriber`;
  }, [filename]);

  return (
    <div className="page page--job">
      <Link to="/" className="back-link">
        <Icon name="back" size={16} /> All jobs
      </Link>
      {job.isPending ? (
        <div className="loading-block">
          <Spinner size={22} label="Loading the job" />
        </div>
      ) : job.isError && isNotFound(job.error) ? (
        <EmptyState icon="search" title="Job not found">
          It may have been deleted. <Link to="/">Back to all jobs</Link>
        </EmptyState>
      ) : job.data ? (
        // A failed background refresh keeps showing the last good data.
        <>
          <JobSummary job={job.data} onDeleted={() => void navigate('/', { replace: true })} />
          <TranscriptPanel
            jobId={job.data.id}
            title={job.data.filename}
            jobStatus={job.data.status}
            task={job.data.task}
            mediaDeleted={Boolean(job.data.media_deleted_at)}
            mediaNote={job.data.media_note}
            meId={me.data?.id}
            startAt={startAt}
          />
          {(job.data.status === 'completed' || job.data.status === 'cancelled') && (
            <SharePanel jobId={job.data.id} mediaAvailable={!job.data.media_deleted_at} />
          )}
        </>
      ) : (
        <ErrorAlert
          title="The job could not be loaded"
          error={job.error}
          action={
            <Button size="sm" onClick={() => void job.refetch()}>
              Try again
            </Button>
          }
        />
      )}
    </div>
  );
}
