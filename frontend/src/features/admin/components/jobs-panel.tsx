import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage, JOB_STATUSES, type Job, type JobStatus } from '@/api';
import { Button, ConfirmDialog, EmptyState, Spinner, StatusBadge, useToast } from '@/components';
import { formatDateTime, formatDuration, formatRelative, parseApiDate } from '@/lib/format';
import { STATUS_LABEL } from '@/lib/job-status';
import { useUsers } from '../api/admin';
import { useAdminJobs, useDeleteAdminJob } from '../api/jobs';
import { withParam } from '../lib/url-filters';
import { AdminError } from './admin-error';
import { Panel, UserSelect } from './panel';

const statusOf = (value: string | null): JobStatus | null => JOB_STATUSES.find((s) => s === value) ?? null;

/** Delete anyone's job, after a question; shared by the list and the job's own page. */
export function DeleteJobButton({
  job,
  onDeleted,
  compact = false,
}: {
  job: Job;
  onDeleted?: () => void;
  compact?: boolean;
}) {
  const remove = useDeleteAdminJob();
  const notify = useToast();
  const [asking, setAsking] = useState(false);
  const confirm = () =>
    remove.mutate(job, {
      onSuccess: () => {
        notify({ title: `${job.filename} deleted`, tone: 'success' });
        onDeleted?.();
      },
      onError: (error) =>
        notify({ title: 'The job was not deleted', description: errorMessage(error), tone: 'danger' }),
      onSettled: () => setAsking(false),
    });
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        icon={compact ? undefined : 'trash'}
        className="btn--danger-ghost"
        onClick={() => setAsking(true)}
      >
        Delete<span className="visually-hidden"> {job.filename}</span>
      </Button>
      <ConfirmDialog
        open={asking}
        title={`Delete ${job.filename}?`}
        confirmLabel="Delete job"
        busy={remove.isPending}
        onConfirm={confirm}
        onCancel={() => setAsking(false)}
      >
        This deletes someone else’s job with its transcript and recording. They are not asked. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}

function JobRow({ job }: { job: Job }) {
  const created = parseApiDate(job.created_at);
  return (
    <tr data-testid="admin-job-row" data-status={job.status}>
      <th scope="row">
        <Link className="data-table__main break-anywhere" to={`/admin/jobs/${job.id}`}>
          {job.filename}
        </Link>
        <span className="data-table__sub">
          {job.model}
          {job.task === 'translate' ? ' · to English' : ''}
        </span>
      </th>
      <td>
        <StatusBadge status={job.status} />
        {job.status === 'failed' && job.error && (
          <span className="data-table__sub data-table__clip" title={job.error}>
            {job.error}
          </span>
        )}
      </td>
      <td>{formatDuration(job.duration_s)}</td>
      <td title={formatDateTime(created)}>{formatRelative(created)}</td>
      <td className="data-table__actions">
        <DeleteJobButton job={job} compact />
      </td>
    </tr>
  );
}

/** Every job on the server, newest first, filtered by owner and status (kept in the URL). */
export function AdminJobsPanel() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const ownerId = params.get('owner');
  const status = statusOf(params.get('status'));
  const users = useUsers();
  const jobs = useAdminJobs({ ownerId, status });
  // Pages can overlap while new jobs arrive: each job once.
  const items = [
    ...new Map((jobs.data?.pages ?? []).flatMap((page) => page.items).map((job) => [job.id, job])).values(),
  ];
  const owner = users.data?.find((user) => user.id === ownerId);

  const setFilter = (name: 'owner' | 'status', value: string) =>
    setParams((current) => withParam(current, name, value), { replace: true });

  return (
    <Panel
      title="Everyone’s jobs"
      subtitle="Newest first. Open one to read its transcript and play its recording; nothing there can be changed."
      aside={jobs.isFetching && !jobs.isFetchingNextPage && !jobs.isPending && <Spinner size={16} label="Refreshing" />}
    >
      <div className="admin-filters" role="group" aria-label="Filter the jobs">
        <UserSelect
          id={`${id}-owner`}
          label="Owner"
          anyone="Everyone"
          value={ownerId ?? ''}
          users={users.data}
          loading={users.isPending}
          onChange={(value) => setFilter('owner', value)}
        />
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            className="input"
            value={status ?? ''}
            onChange={(e) => setFilter('status', e.target.value)}
          >
            <option value="">Any</option>
            {JOB_STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABEL[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {jobs.isPending ? (
        <div className="loading-block">
          <Spinner size={22} label="Loading the jobs" />
        </div>
      ) : jobs.isError && items.length === 0 ? (
        <AdminError title="The jobs could not be loaded" error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : items.length === 0 ? (
        ownerId || status ? (
          <EmptyState icon="search" title="No matching jobs">
            {status ? `No ${STATUS_LABEL[status].toLowerCase()} jobs` : 'No jobs'}
            {ownerId ? ` of ${owner?.email ?? 'this account'}.` : '.'}
          </EmptyState>
        ) : (
          <EmptyState title="No jobs on this server yet">Jobs appear here as soon as anyone uploads a file.</EmptyState>
        )
      ) : (
        <>
          <div className="data-table__wrap">
            <table className="data-table">
              <caption className="visually-hidden">
                {owner ? `Jobs of ${owner.email}` : 'Jobs of everyone'}, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((job) => (
                  <JobRow key={job.id} job={job} />
                ))}
              </tbody>
            </table>
          </div>
          {jobs.hasNextPage && (
            <div className="load-more">
              <Button onClick={() => void jobs.fetchNextPage()} busy={jobs.isFetchingNextPage}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
