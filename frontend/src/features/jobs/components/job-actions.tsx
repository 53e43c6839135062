import { useState } from 'react';
import { errorMessage, type Job } from '@/api';
import { Button, ConfirmDialog, useToast } from '@/components';
import { useCancelJob, useDeleteJob, useRetryJob } from '../api/jobs';
import { canCancel, canRetry } from '../utils';

export interface JobActionsProps {
  job: Job;
  /** Icon buttons for rows, labelled buttons for the job page. */
  compact?: boolean;
  onDeleted?: () => void;
}

export function JobActions({ job, compact = false, onDeleted }: JobActionsProps) {
  const toast = useToast();
  const cancel = useCancelJob();
  const retry = useRetryJob();
  const remove = useDeleteJob();
  const [confirming, setConfirming] = useState(false);
  const size = compact ? 'sm' : 'md';
  const name = job.filename;

  const fail = (action: string) => (error: unknown) => {
    toast({ tone: 'danger', title: `Could not ${action} “${name}”`, description: errorMessage(error) });
  };

  return (
    <div className="job-actions">
      {canCancel(job) && (
        <Button
          size={size}
          variant="ghost"
          icon="stop"
          busy={cancel.isPending}
          aria-label={compact ? `Cancel ${name}` : undefined}
          title="Cancel"
          onClick={() => cancel.mutate(job.id, { onError: fail('cancel') })}
        >
          {compact ? null : 'Cancel'}
        </Button>
      )}
      {canRetry(job) && (
        <Button
          size={size}
          variant="ghost"
          icon="retry"
          busy={retry.isPending}
          aria-label={compact ? `Retry ${name}` : undefined}
          title="Retry"
          onClick={() =>
            retry.mutate(job.id, {
              onError: fail('retry'),
              onSuccess: () => toast({ tone: 'success', title: `“${name}” is queued again` }),
            })
          }
        >
          {compact ? null : 'Retry'}
        </Button>
      )}
      <Button
        size={size}
        variant="ghost"
        icon="trash"
        className="btn--danger-ghost"
        aria-label={compact ? `Delete ${name}` : undefined}
        title="Delete"
        onClick={() => setConfirming(true)}
      >
        {compact ? null : 'Delete'}
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Delete this job?"
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          remove.mutate(job.id, {
            onError: (error) => {
              setConfirming(false);
              fail('delete')(error);
            },
            onSuccess: () => {
              setConfirming(false);
              toast({ tone: 'success', title: `Deleted “${name}”` });
              onDeleted?.();
            },
          })
        }
      >
        <p>
          <strong className="break-anywhere">{name}</strong>, its transcript and its audio will be removed for good.
        </p>
      </ConfirmDialog>
    </div>
  );
}
