import { useId, type ReactNode } from 'react';
import type { User } from '@/api';

/** One admin section: a card with its heading, what it is for, an optional action or status, and the body. */
export function Panel({
  title,
  subtitle,
  aside,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <header className="card__header">
        <div>
          <h2 id={id} className="card__title">
            {title}
          </h2>
          <p className="card__subtitle">{subtitle}</p>
        </div>
        {aside}
      </header>
      <div className="card__pad stack">{children}</div>
    </section>
  );
}

/** Pick an account by email (a filter): "anyone", every account, and an id from the address that is not among them. */
export function UserSelect({
  id,
  label,
  anyone,
  value,
  users,
  loading,
  onChange,
}: {
  id: string;
  label: string;
  anyone: string;
  value: string;
  users: readonly User[] | undefined;
  loading: boolean;
  onChange: (userId: string) => void;
}) {
  const known = users?.some((user) => user.id === value) ?? false;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyone}</option>
        {value && !known && <option value={value}>{loading ? 'Loading…' : 'An unknown account'}</option>}
        {users?.map((user) => (
          <option key={user.id} value={user.id}>
            {user.email}
          </option>
        ))}
      </select>
    </div>
  );
}
