import { Link, useRouteError } from 'react-router';
import { Alert } from '@/components';

/** Shown when rendering a page throws: a way back instead of a blank screen. */
export function RouteErrorBoundary() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : 'Unknown error';
  return (
    <div className="page page--error">
      <Alert title="Something went wrong on this page">
        <p>
          Reload the page, or <Link to="/">go back to your jobs</Link>. If it happens again, tell the person who runs
          this server what you did, and this message: <code>{message}</code>
        </p>
      </Alert>
    </div>
  );
}
