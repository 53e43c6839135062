import { Button, ErrorAlert, Spinner, UsageMeters } from '@/components';
import { useMyStats } from '../api/account';

/** What I use of this server against my quotas. */
export function UsagePanel() {
  const stats = useMyStats();
  return (
    <section className="card" aria-labelledby="usage-title">
      <header className="card__header">
        <div>
          <h1 id="usage-title" className="card__title">
            Usage and quotas
          </h1>
          <p className="card__subtitle">
            What you use of this server, against the limits an administrator set for you. When one is reached, new
            uploads or jobs are refused until you delete old jobs or the month turns; ask an administrator for more.
          </p>
        </div>
      </header>
      <div className="card__pad">
        {stats.isPending ? (
          <div className="loading-block">
            <Spinner label="Loading your usage" />
          </div>
        ) : stats.isError ? (
          <ErrorAlert
            title="Your usage could not be loaded"
            error={stats.error}
            action={
              <Button size="sm" onClick={() => void stats.refetch()}>
                Try again
              </Button>
            }
          />
        ) : (
          <UsageMeters stats={stats.data} />
        )}
      </div>
    </section>
  );
}
