import { useId, useState, type SyntheticEvent } from 'react';
import type { InviteCreated, RegistrationMode, Role } from '@/api';
import { Button, CopyField, ErrorAlert, Spinner } from '@/components';
import { formatDateTime, parseApiDate } from '@/lib/format';
import { useAppSettings, useCreateInvite, useUpdateAppSettings } from '../api/admin';
import { inviteLink } from '../lib/invite';

const MODES: { value: RegistrationMode; label: string; help: string }[] = [
  { value: 'closed', label: 'Closed', help: 'Only admins add accounts.' },
  { value: 'invite', label: 'Invite only', help: 'People join through an invite link.' },
  { value: 'open', label: 'Open', help: 'Anyone who reaches this server can create an account.' },
];

const INVITE_DAYS = [1, 7, 30] as const;

function RegistrationMode() {
  const id = useId();
  const settings = useAppSettings();
  const update = useUpdateAppSettings();
  if (settings.isPending) return <Spinner label="Loading the settings" />;
  if (settings.isError) return <ErrorAlert title="The settings could not be loaded" error={settings.error} />;
  const current = settings.data.registration;
  return (
    <div className="field">
      <span className="field__label" id={`${id}-label`}>
        Registration
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby={`${id}-label`}>
        {MODES.map((mode) => (
          <label key={mode.value} className="segmented__item">
            <input
              type="radio"
              name={`${id}-mode`}
              value={mode.value}
              checked={current === mode.value}
              disabled={update.isPending}
              onChange={() => update.mutate({ registration: mode.value })}
            />
            <span>{mode.label}</span>
          </label>
        ))}
      </div>
      <p className="small muted" aria-live="polite">
        {MODES.find((mode) => mode.value === current)?.help}
      </p>
      {update.isError && <ErrorAlert title="The setting was not saved" error={update.error} />}
    </div>
  );
}

function InviteForm() {
  const id = useId();
  const create = useCreateInvite();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('user');
  const [days, setDays] = useState<number>(7);
  const [invite, setInvite] = useState<InviteCreated | null>(null);

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate({ email: email.trim() || null, role, expires_in_s: days * 24 * 3600 }, { onSuccess: setInvite });
  };

  return (
    <div className="stack">
      <form className="key-form" onSubmit={onSubmit} aria-label="Create an invite link">
        <div className="field key-form__name">
          <label htmlFor={`${id}-email`}>For email (optional)</label>
          <input
            id={`${id}-email`}
            className="input"
            type="email"
            placeholder="anyone with the link"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            className="input"
            value={role}
            onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'user')}
          >
            <option value="user">User</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>Valid for</label>
          <select id={`${id}-days`} className="input" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {INVITE_DAYS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? '1 day' : `${d} days`}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="primary" busy={create.isPending} className="key-form__submit">
          Create invite link
        </Button>
      </form>
      {create.isError && <ErrorAlert title="The invite was not created" error={create.error} />}
      {invite && (
        <div className="new-secret" data-testid="invite">
          <p className="small">
            Send this link to {invite.email ?? 'the person you invite'}. It works once, until{' '}
            {formatDateTime(parseApiDate(invite.expires_at))}, and is not shown again.
          </p>
          <CopyField label="Invite link" value={inviteLink(invite.token)} testId="invite-link" />
        </div>
      )}
    </div>
  );
}

export function AccessPanel() {
  return (
    <section className="card" aria-labelledby="access-title">
      <header className="card__header">
        <div>
          <h2 id="access-title" className="card__title">
            Joining this server
          </h2>
          <p className="card__subtitle">Who may create an account, and invite links for new people.</p>
        </div>
      </header>
      <div className="card__pad stack">
        <RegistrationMode />
        <InviteForm />
      </div>
    </section>
  );
}
