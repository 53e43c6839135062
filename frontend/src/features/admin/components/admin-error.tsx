import { ApiError } from '@/api';
import { Button, EmptyState, ErrorAlert } from '@/components';

/**
 * Why an admin panel shows nothing. A 403 gets a calm explanation rather than a red alert:
 * it happens when the account stopped being an administrator while the page was open.
 */
export function AdminError({ error, title, onRetry }: { error: unknown; title: string; onRetry?: () => void }) {
  if (error instanceof ApiError && error.status === 403) {
    return (
      <EmptyState icon="alert" title="Administrators only">
        {error.detail} If your role changed a moment ago, sign out and in again.
      </EmptyState>
    );
  }
  return (
    <ErrorAlert
      title={title}
      error={error}
      action={
        onRetry && (
          <Button size="sm" onClick={onRetry}>
            Try again
          </Button>
        )
      }
    />
  );
}
