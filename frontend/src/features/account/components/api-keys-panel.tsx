import { useId, useState, type SyntheticEvent } from 'react';
import type { ApiKey, ApiKeyCreated } from '@/api';
import { Alert, Button, ConfirmDialog, CopyField, EmptyState, ErrorAlert, Spinner, useToast } from '@/components';
import { errorMessage } from '@/api';
import { formatDateTime, formatRelative, parseApiDate } from '@/lib/format';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/account';

const EXPIRIES = [
  { value: '', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
] as const;

function expiryDate(days: string, now = Date.now()): string | null {
  return days ? new Date(now + Number(days) * 24 * 3600 * 1000).toISOString() : null;
}

function keyState(key: ApiKey, now = new Date()): 'revoked' | 'expired' | 'active' {
  if (key.revoked_at) return 'revoked';
  const expires = parseApiDate(key.expires_at);
  return expires && expires <= now ? 'expired' : 'active';
}

function NewKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const id = useId();
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'write' | 'read'>('write');
  const [expiry, setExpiry] = useState('');

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scope, expires_at: expiryDate(expiry) },
      {
        onSuccess: (key) => {
          setName('');
          onCreated(key);
        },
      },
    );
  };

  return (
    <form className="key-form" onSubmit={onSubmit} aria-label="Create an API key">
      <div className="field key-form__name">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          className="input"
          required
          maxLength={100}
          placeholder="e.g. laptop script"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-scope`}>Access</label>
        <select
          id={`${id}-scope`}
          className="input"
          value={scope}
          onChange={(e) => setScope(e.target.value === 'read' ? 'read' : 'write')}
        >
          <option value="write">Read and write</option>
          <option value="read">Read only</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-expiry`}>Expires</label>
        <select id={`${id}-expiry`} className="input" value={expiry} onChange={(e) => setExpiry(e.target.value)}>
          {EXPIRIES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="primary" icon="plus" busy={create.isPending} className="key-form__submit">
        Create key
      </Button>
      {create.isError && (
        <div className="key-form__error">
          <ErrorAlert title="The key was not created" error={create.error} />
        </div>
      )}
    </form>
  );
}

/** The secret of a new key, shown this once. */
function NewSecret({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  return (
    <div className="new-secret" data-testid="new-key">
      <Alert tone="warning" title={`Copy the key “${created.name}” now`}>
        This is the only time the server shows it: it keeps just a fingerprint. If you lose it, revoke it and create
        another one.
      </Alert>
      <CopyField label="The new API key" value={created.secret} testId="api-key-secret" />
      <p className="small muted">
        Send it as <code>Authorization: Bearer …</code> with each request.
      </p>
      <div>
        <Button variant="primary" icon="check" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </div>
  );
}

function KeyRow({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => void }) {
  const state = keyState(apiKey);
  const created = parseApiDate(apiKey.created_at);
  const used = parseApiDate(apiKey.last_used_at);
  const expires = parseApiDate(apiKey.expires_at);
  return (
    <tr data-testid="api-key-row" data-state={state}>
      <th scope="row">
        <span className="data-table__main">{apiKey.name}</span>
        <code className="data-table__sub">wt_{apiKey.prefix}_…</code>
      </th>
      <td>{apiKey.scope === 'read' ? 'Read only' : 'Read and write'}</td>
      <td title={formatDateTime(created)}>{formatRelative(created)}</td>
      <td title={used ? formatDateTime(used) : undefined}>{used ? formatRelative(used) : 'Never'}</td>
      <td>
        <span className={`pill pill--${state}`}>
          {state === 'active'
            ? expires
              ? `Until ${formatDateTime(expires)}`
              : 'Active'
            : state === 'revoked'
              ? 'Revoked'
              : 'Expired'}
        </span>
      </td>
      <td className="data-table__actions">
        {state !== 'revoked' && (
          <Button size="sm" variant="ghost" className="btn--danger-ghost" onClick={() => onRevoke(apiKey)}>
            Revoke<span className="visually-hidden"> {apiKey.name}</span>
          </Button>
        )}
      </td>
    </tr>
  );
}

export function ApiKeysPanel() {
  const keys = useApiKeys();
  const revoke = useRevokeApiKey();
  const notify = useToast();
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => notify({ title: `Key “${revoking.name}” revoked`, tone: 'success' }),
      onError: (error) =>
        notify({ title: 'The key was not revoked', description: errorMessage(error), tone: 'danger' }),
      onSettled: () => setRevoking(null),
    });
  };

  return (
    <section className="card" aria-labelledby="api-keys-title">
      <header className="card__header">
        <div>
          <h1 id="api-keys-title" className="card__title">
            API keys
          </h1>
          <p className="card__subtitle">
            For scripts and other programs: a key acts as you, without your password. Read-only keys cannot change
            anything.
          </p>
        </div>
      </header>
      <div className="card__pad stack">
        {created ? (
          <NewSecret created={created} onDone={() => setCreated(null)} />
        ) : (
          <NewKeyForm onCreated={setCreated} />
        )}
        {keys.isPending ? (
          <div className="loading-block">
            <Spinner label="Loading your keys" />
          </div>
        ) : keys.isError ? (
          <ErrorAlert title="Your keys could not be loaded" error={keys.error} />
        ) : keys.data.length === 0 ? (
          <EmptyState icon="key" title="No API keys yet">
            Create one above when a program needs to use this server.
          </EmptyState>
        ) : (
          <div className="data-table__wrap">
            <table className="data-table">
              <caption className="visually-hidden">Your API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name and prefix</th>
                  <th scope="col">Access</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <KeyRow key={key.id} apiKey={key} onRevoke={setRevoking} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the key “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke"
        busy={revoke.isPending}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      >
        Programs using it stop working at once. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
