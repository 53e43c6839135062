import { cn } from '@/lib/cn';

export interface ProgressBarProps {
  /** 0..1, or null for "working, amount unknown". */
  value: number | null;
  label: string;
  tone?: 'accent' | 'success' | 'danger' | 'muted';
  size?: 'sm' | 'md';
  className?: string;
}

export function ProgressBar({ value, label, tone = 'accent', size = 'md', className }: ProgressBarProps) {
  const pct = value == null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className={cn(
        'progress',
        `progress--${tone}`,
        `progress--${size}`,
        pct == null && 'progress--indeterminate',
        className,
      )}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
      aria-valuetext={pct == null ? 'Waiting' : `${pct}%`}
    >
      <div className="progress__bar" style={pct == null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
