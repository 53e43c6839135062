import { useId, useState, type SyntheticEvent } from 'react';
import { errorMessage, type Share } from '@/api';
import { Alert, Button, ConfirmDialog, CopyField, Spinner, useToast } from '@/components';
import { formatDateTime, parseApiDate } from '@/lib/format';
import { sharePageUrl, useCreateShare, useRevokeShare, useShares } from '../api/shares';

const EXPIRY_CHOICES: readonly { label: string; seconds: number | null }[] = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: 'Never', seconds: null },
];

function shareState(share: Share, now: Date): 'active' | 'expired' | 'revoked' {
  if (share.revoked_at) return 'revoked';
  const expires = parseApiDate(share.expires_at);
  return expires && expires <= now ? 'expired' : 'active';
}

/** Read-only links to this transcript: make one (with an expiry, with or without the audio), see and revoke them. */
export function SharePanel({ jobId, mediaAvailable }: { jobId: string; mediaAvailable: boolean }) {
  const id = useId();
  const toast = useToast();
  const shares = useShares(jobId);
  const create = useCreateShare(jobId);
  const revoke = useRevokeShare(jobId);
  const [expiry, setExpiry] = useState(2);
  const [withAudio, setWithAudio] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Share | null>(null);
  const now = new Date();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const choice = EXPIRY_CHOICES[expiry] ?? EXPIRY_CHOICES[2];
    create.mutate(
      { expires_in_s: choice?.seconds ?? null, include_media: withAudio && mediaAvailable },
      { onSuccess: (share) => setCreated(sharePageUrl(share.token)) },
    );
  };

  const list = shares.data ?? [];
  return (
    <section className="card share-card" aria-labelledby={`${id}-title`}>
      <header className="card__header">
        <div>
          <h2 id={`${id}-title`} className="card__title">
            Share
          </h2>
          <p className="card__subtitle">
            A read-only link to this transcript. Whoever has it can read it without an account, until it expires or you
            revoke it.
          </p>
        </div>
      </header>
      <div className="card__pad share-card__body">
        <form className="share-form" onSubmit={submit}>
          <label className="field" htmlFor={`${id}-expiry`}>
            <span className="field__label">Expires after</span>
            <select
              id={`${id}-expiry`}
              className="input"
              value={expiry}
              onChange={(event) => setExpiry(Number(event.target.value))}
            >
              {EXPIRY_CHOICES.map((choice, index) => (
                <option key={choice.label} value={index}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={withAudio && mediaAvailable}
              disabled={!mediaAvailable}
              onChange={(event) => setWithAudio(event.target.checked)}
            />
            <span>
              Include the audio
              <small>{mediaAvailable ? 'The link can play and seek it' : 'The audio is no longer kept'}</small>
            </span>
          </label>
          <Button type="submit" variant="primary" icon="link" busy={create.isPending}>
            Create link
          </Button>
        </form>
        {create.isError && <Alert title="The link could not be made">{errorMessage(create.error)}</Alert>}
        {created && (
          <div className="share-card__created" data-testid="new-share">
            <CopyField label="The new link" value={created} testId="share-link" />
            <p className="muted small">This is the only time the link is shown: copy it now.</p>
          </div>
        )}
        {shares.isPending ? (
          <Spinner size={18} label="Loading the links" />
        ) : shares.isError ? (
          <Alert title="The links could not be loaded">{errorMessage(shares.error)}</Alert>
        ) : list.length === 0 ? (
          <p className="muted small">No links yet.</p>
        ) : (
          <ul className="share-list" aria-label="Links to this transcript">
            {list.map((share) => {
              const state = shareState(share, now);
              return (
                <li key={share.id} className="share-list__item" data-testid="share-row" data-state={state}>
                  <span>
                    Made {formatDateTime(parseApiDate(share.created_at))} ·{' '}
                    {share.include_media ? 'with the audio' : 'text only'} ·{' '}
                    {state === 'revoked'
                      ? 'revoked'
                      : share.expires_at
                        ? `${state === 'expired' ? 'expired' : 'expires'} ${formatDateTime(parseApiDate(share.expires_at))}`
                        : 'never expires'}
                  </span>
                  {state === 'active' && (
                    <Button size="sm" variant="ghost" icon="x" onClick={() => setRevoking(share)}>
                      Revoke
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this link?"
        confirmLabel="Revoke"
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (!revoking) return;
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              setRevoking(null);
              setCreated(null);
              toast({ tone: 'success', title: 'The link is revoked: it now shows nothing.' });
            },
            onError: (error) => toast({ tone: 'danger', title: 'Could not revoke', description: errorMessage(error) }),
          });
        }}
      >
        Whoever has it will no longer see the transcript. This cannot be undone; you can make a new link.
      </ConfirmDialog>
    </section>
  );
}
