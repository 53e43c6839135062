import { JOB_STATUSES, type JobStatus } from '@/api';
import { Icon } from '@/components';
import { STATUS_LABEL } from '../utils';

export interface JobFiltersProps {
  status: JobStatus | null;
  q: string;
  onStatusChange: (status: JobStatus | null) => void;
  onQueryChange: (q: string) => void;
}

export function JobFilterBar({ status, q, onStatusChange, onQueryChange }: JobFiltersProps) {
  return (
    <div className="filters">
      <label className="search">
        <Icon name="search" className="search__icon" />
        <span className="visually-hidden">Filter by file name or transcript text</span>
        <input
          type="search"
          className="input search__input"
          placeholder="Filter by file name or text"
          value={q}
          maxLength={200}
          onChange={(event) => onQueryChange(event.target.value)}
        />
      </label>
      <div className="chips" role="group" aria-label="Filter by status">
        {[null, ...JOB_STATUSES].map((value) => (
          <button
            key={value ?? 'all'}
            type="button"
            className="chip"
            aria-pressed={status === value}
            onClick={() => onStatusChange(value)}
          >
            {value ? STATUS_LABEL[value] : 'All'}
          </button>
        ))}
      </div>
    </div>
  );
}
