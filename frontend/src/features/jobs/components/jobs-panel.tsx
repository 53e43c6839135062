import { useState } from 'react';
import type { JobStatus } from '@/api';
import { Button, EmptyState, ErrorAlert, Spinner } from '@/components';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { flattenJobs, useJobs } from '../api/jobs';
import { STATUS_LABEL } from '../utils';
import { JobFilterBar } from './job-filters';
import { JobList } from './job-list';

/** The job list with its filters, paging and live refresh. */
export function JobsPanel() {
  const [status, setStatus] = useState<JobStatus | null>(null);
  const [q, setQ] = useState('');
  const debouncedQ = useDebouncedValue(q, 300);
  const query = useJobs({ status, q: debouncedQ });
  const jobs = flattenJobs(query.data);
  const filtered = status !== null || debouncedQ.trim() !== '';

  return (
    <section className="card jobs-panel" aria-labelledby="jobs-title">
      <header className="card__header">
        <div>
          <h2 id="jobs-title" className="card__title">
            Jobs
          </h2>
          <p className="card__subtitle">Newest first. Running jobs update on their own.</p>
        </div>
        {query.isFetching && !query.isFetchingNextPage && !query.isPending && <Spinner size={16} label="Refreshing" />}
      </header>
      <JobFilterBar status={status} q={q} onStatusChange={setStatus} onQueryChange={setQ} />
      {query.isPending ? (
        <div className="loading-block">
          <Spinner size={22} label="Loading jobs" />
        </div>
      ) : query.isError && jobs.length === 0 ? (
        <div className="card__pad">
          <ErrorAlert
            title="The jobs could not be loaded"
            error={query.error}
            action={
              <Button size="sm" onClick={() => void query.refetch()}>
                Try again
              </Button>
            }
          />
        </div>
      ) : jobs.length === 0 ? (
        filtered ? (
          <EmptyState icon="search" title="No matching jobs">
            {status ? `No ${STATUS_LABEL[status].toLowerCase()} jobs` : 'Nothing'}
            {debouncedQ.trim() ? ` with “${debouncedQ.trim()}” in the file name or the transcript.` : '.'}
          </EmptyState>
        ) : (
          <EmptyState title="No jobs yet">Drop audio or video files above to transcribe them.</EmptyState>
        )
      ) : (
        <>
          <JobList jobs={jobs} />
          {query.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void query.fetchNextPage()} busy={query.isFetchingNextPage}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
