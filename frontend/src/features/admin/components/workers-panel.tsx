import { Link } from 'react-router';
import type { Worker } from '@/api';
import { EmptyState, Spinner } from '@/components';
import { formatDateTime, formatRelative, parseApiDate } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { useWorkers } from '../api/system';
import { AdminError } from './admin-error';
import { Panel } from './panel';

function WorkerRow({ worker, now }: { worker: Worker; now: Date }) {
  const started = parseApiDate(worker.started_at);
  const heard = parseApiDate(worker.last_heartbeat_at);
  return (
    <tr data-testid="worker-row" data-alive={worker.alive}>
      <th scope="row">
        <span className="data-table__main">
          {worker.host}:{worker.pid}
        </span>
        <code className="data-table__sub break-anywhere">{worker.id}</code>
      </th>
      <td>
        <span className={`pill pill--${worker.alive ? 'active' : 'expired'}`}>{worker.alive ? 'Alive' : 'Silent'}</span>
      </td>
      <td>{worker.queues.join(', ') || '—'}</td>
      <td>
        {worker.device}
        <span className="data-table__sub">
          {worker.models.length > 0 ? worker.models.join(', ') : 'no model loaded'}
        </span>
      </td>
      <td>
        {worker.current_jobs.length} of {worker.concurrency}
        {worker.current_jobs.map((jobId) => (
          <Link key={jobId} className="data-table__sub" to={`/admin/jobs/${jobId}`}>
            job {jobId.slice(0, 8)}
          </Link>
        ))}
      </td>
      <td title={formatDateTime(heard)}>{formatRelative(heard, now)}</td>
      <td title={formatDateTime(started)}>{formatRelative(started, now)}</td>
    </tr>
  );
}

/** The worker processes that reported lately: what they listen to, hold and run. */
export function WorkersPanel() {
  const workers = useWorkers();
  const now = useNow(10_000);
  return (
    <Panel
      title="Workers"
      subtitle="Processes that transcribe. Each reports every few seconds; one that stops reporting is “silent” and its jobs go back to the queue. Refreshed every 10 seconds."
      aside={workers.isFetching && !workers.isPending && <Spinner size={16} label="Refreshing" />}
    >
      {workers.isPending ? (
        <div className="loading-block">
          <Spinner label="Loading the workers" />
        </div>
      ) : workers.isError ? (
        <AdminError
          title="The workers could not be listed"
          error={workers.error}
          onRetry={() => void workers.refetch()}
        />
      ) : workers.data.length === 0 ? (
        <EmptyState icon="clock" title="No worker has reported">
          Jobs wait in the queue until one runs: <code>transcriber serve</code> starts one with the API, or run{' '}
          <code>transcriber worker</code> on any machine that shares the database and storage.
        </EmptyState>
      ) : (
        <div className="data-table__wrap">
          <table className="data-table">
            <caption className="visually-hidden">Worker processes</caption>
            <thead>
              <tr>
                <th scope="col">Worker</th>
                <th scope="col">State</th>
                <th scope="col">Queues</th>
                <th scope="col">Device and models</th>
                <th scope="col">Running</th>
                <th scope="col">Last heard</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {workers.data.map((worker) => (
                <WorkerRow key={worker.id} worker={worker} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
