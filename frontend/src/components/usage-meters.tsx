import type { JobStatus, Stats } from '@/api';
import { formatBytes, formatMinutes } from '@/lib/format';
import { ProgressBar } from './progress-bar';
import { STATUS_LABEL } from '@/lib/job-status';

interface MeterProps {
  label: string;
  used: number;
  /** The quota in force; null means no limit. */
  limit: number | null;
  format: (value: number) => string;
  hint: string;
}

function Meter({ label, used, limit, format, hint }: MeterProps) {
  const fraction = limit === null ? null : limit === 0 ? 1 : used / limit;
  return (
    <div className="usage__item" data-testid="usage-meter" data-limit={limit ?? 'none'}>
      <dt className="usage__label">{label}</dt>
      <dd className="usage__value">
        <span className="usage__numbers">
          {format(used)}
          <span className="usage__limit">{limit === null ? ' · no limit' : ` of ${format(limit)}`}</span>
        </span>
        {fraction !== null && (
          <ProgressBar
            value={fraction}
            size="sm"
            tone={fraction >= 1 ? 'danger' : 'accent'}
            label={`${label}: ${Math.floor(Math.min(fraction, 1) * 100)}% of the quota used`}
          />
        )}
        <span className="usage__hint">{hint}</span>
      </dd>
    </div>
  );
}

const isJobStatus = (status: string): status is JobStatus => status in STATUS_LABEL;

/** "12 completed · 1 failed": the jobs kept, by status. */
function jobCounts(byStatus: Stats['jobs_by_status']): string {
  const parts = Object.entries(byStatus)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${(isJobStatus(status) ? STATUS_LABEL[status] : status).toLowerCase()}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

/** One person's usage against the quotas in force for them (`GET /stats`, or an admin's view of anyone). */
export function UsageMeters({ stats }: { stats: Stats }) {
  return (
    <div className="usage">
      <dl className="usage__meters">
        <Meter
          label="Storage"
          used={stats.storage_bytes}
          limit={stats.quota.storage_bytes}
          format={formatBytes}
          hint="Original recordings kept on the server."
        />
        <Meter
          label="Audio this month"
          used={stats.audio_minutes_this_month}
          limit={stats.quota.audio_minutes_per_month}
          format={formatMinutes}
          hint="Counted from the 1st of the month (UTC)."
        />
        <Meter
          label="Jobs at once"
          used={stats.active_jobs}
          limit={stats.quota.concurrent_jobs}
          format={(n) => n.toLocaleString()}
          hint="Queued or running now."
        />
      </dl>
      <p className="small muted">Jobs: {jobCounts(stats.jobs_by_status)}.</p>
    </div>
  );
}
