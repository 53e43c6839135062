import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { adminMediaUrl, isNotFound } from '@/api';
import { Alert, EmptyState, Icon, Spinner } from '@/components';
import { AdminError, DeleteJobButton, useAdminJob, useAdminTranscript } from '@/features/admin';
import { JobSummary } from '@/features/jobs';
import { ReadOnlyTranscript } from '@/features/transcripts';
import { formatLanguage } from '@/lib/format';

const EMPTY = {
  queued: { title: 'Waiting for a worker', text: 'The transcript appears here once the job runs.' },
  running: { title: 'Listening…', text: 'The first words appear here in a few seconds.' },
  completed: { title: 'No speech found', text: 'The file was transcribed, but no speech was found in it.' },
  failed: { title: 'No transcript', text: 'The job failed before any text was written.' },
  cancelled: { title: 'Cancelled before any text', text: 'The job was cancelled before any text was written.' },
} as const;

/** Anyone's job, for an administrator: its facts, transcript and recording, read-only; it can be deleted. */
export function AdminJobRoute() {
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const job = useAdminJob(jobId);
  const transcript = useAdminTranscript(jobId, job.data?.status);
  const filename = job.data?.filename;

  useEffect(() => {
    document.title = `${filename ?? 'Job'} · Administration · Whisper Transcriber`;
  }, [filename]);

  return (
    <div className="page page--job">
      <Link to="/admin/jobs" className="back-link">
        <Icon name="back" size={16} /> Everyone’s jobs
      </Link>
      {job.isPending ? (
        <div className="loading-block">
          <Spinner size={22} label="Loading the job" />
        </div>
      ) : job.isError && isNotFound(job.error) ? (
        <EmptyState icon="search" title="Job not found">
          It may have been deleted. <Link to="/admin/jobs">Back to everyone’s jobs</Link>
        </EmptyState>
      ) : job.data ? (
        <>
          <Alert tone="info" title="Someone else’s job, read-only">
            You see it as an administrator. Its owner is not told; deleting it removes the transcript and recording for
            them too.
          </Alert>
          <JobSummary
            job={job.data}
            actions={
              <DeleteJobButton job={job.data} onDeleted={() => void navigate('/admin/jobs', { replace: true })} />
            }
          />
          <ReadOnlyTranscript
            segments={transcript.data?.segments ?? []}
            mediaSrc={job.data.media_deleted_at ? null : adminMediaUrl(job.data.id)}
            noMedia={{ title: 'The audio is no longer kept', note: job.data.media_note }}
            title={job.data.filename}
            subtitle={transcript.data?.language ? `${formatLanguage(transcript.data.language)} · ` : undefined}
            pending={transcript.isPending}
            error={transcript.error}
            empty={EMPTY[job.data.status]}
          />
        </>
      ) : (
        <AdminError title="The job could not be loaded" error={job.error} onRetry={() => void job.refetch()} />
      )}
    </div>
  );
}
