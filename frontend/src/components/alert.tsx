import type { ReactNode } from 'react';
import { errorMessage } from '@/api';
import { cn } from '@/lib/cn';
import { Icon } from './icons';

export interface AlertProps {
  tone?: 'danger' | 'info' | 'warning';
  title?: string;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}

export function Alert({ tone = 'danger', title, children, action, className }: AlertProps) {
  return (
    <div className={cn('alert', `alert--${tone}`, className)} role={tone === 'danger' ? 'alert' : 'status'}>
      <Icon name="alert" className="alert__icon" />
      <div className="alert__body">
        {title && <p className="alert__title">{title}</p>}
        {children && <div className="alert__text">{children}</div>}
      </div>
      {action && <div className="alert__action">{action}</div>}
    </div>
  );
}

/** An error from anywhere, as the sentence the API (or the network) gave. */
export function ErrorAlert({ error, title, action }: { error: unknown; title?: string; action?: ReactNode }) {
  return (
    <Alert title={title} action={action}>
      {errorMessage(error)}
    </Alert>
  );
}
