import { useId, useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import type { Quota, User, UserUpdate } from '@/api';
import { Button, ErrorAlert, Spinner, UsageMeters, useToast } from '@/components';
import { formatBytes, formatMinutes } from '@/lib/format';
import { useUpdateUser, useUserStats } from '../api/admin';
import { AdminError } from './admin-error';

const GIB = 1024 ** 3;

type QuotaKey = 'quota_storage_bytes' | 'quota_audio_minutes_per_month' | 'quota_concurrent_jobs';

/** Null: the server's default applies. Unlimited: an override of 0. Limit: an override above 0. */
const MODES = ['default', 'unlimited', 'limit'] as const;
type Mode = (typeof MODES)[number];

interface QuotaSpec {
  key: QuotaKey;
  statsKey: keyof Quota;
  label: string;
  unit: string;
  /** The server setting that holds the default. */
  setting: string;
  /** Whole numbers only (the storage is typed in GB, with decimals). */
  whole: boolean;
  toAmount: (value: number) => number;
  fromAmount: (amount: number) => number;
  format: (value: number) => string;
}

const STORAGE: QuotaSpec = {
  key: 'quota_storage_bytes',
  statsKey: 'storage_bytes',
  label: 'Storage',
  unit: 'GB',
  setting: 'TRANSCRIBER_QUOTAS__STORAGE_BYTES',
  whole: false,
  toAmount: (bytes) => Number((bytes / GIB).toFixed(3)),
  fromAmount: (gb) => Math.round(gb * GIB),
  format: formatBytes,
};

const AUDIO: QuotaSpec = {
  key: 'quota_audio_minutes_per_month',
  statsKey: 'audio_minutes_per_month',
  label: 'Audio per month',
  unit: 'minutes',
  setting: 'TRANSCRIBER_QUOTAS__AUDIO_MINUTES_PER_MONTH',
  whole: true,
  toAmount: (minutes) => minutes,
  fromAmount: (minutes) => minutes,
  format: formatMinutes,
};

const JOBS: QuotaSpec = {
  key: 'quota_concurrent_jobs',
  statsKey: 'concurrent_jobs',
  label: 'Jobs at once',
  unit: 'jobs',
  setting: 'TRANSCRIBER_QUOTAS__CONCURRENT_JOBS',
  whole: true,
  toAmount: (jobs) => jobs,
  fromAmount: (jobs) => jobs,
  format: (jobs) => `${jobs.toLocaleString()} jobs`,
};

const QUOTAS: readonly QuotaSpec[] = [STORAGE, AUDIO, JOBS];

interface Choice {
  mode: Mode;
  amount: string;
}

function choiceOf(override: number | null, spec: QuotaSpec): Choice {
  if (override === null) return { mode: 'default', amount: '' };
  if (override === 0) return { mode: 'unlimited', amount: '' };
  return { mode: 'limit', amount: String(spec.toAmount(override)) };
}

/** The override a choice stands for, or an error sentence. */
function overrideOf(choice: Choice, spec: QuotaSpec): { value: number | null } | { error: string } {
  if (choice.mode === 'default') return { value: null };
  if (choice.mode === 'unlimited') return { value: 0 };
  const amount = Number(choice.amount.trim());
  if (choice.amount.trim() === '' || !Number.isFinite(amount) || amount <= 0) {
    return { error: `Enter a limit above 0 ${spec.unit}, or choose “No limit”.` };
  }
  if (spec.whole && !Number.isInteger(amount)) return { error: `Enter a whole number of ${spec.unit}.` };
  const value = spec.fromAmount(amount);
  return value > 0 ? { value } : { error: `Enter a limit above 0 ${spec.unit}.` };
}

/** What the default means for this person now: known only while no override hides it. */
function defaultLabel(user: User, spec: QuotaSpec, inForce: Quota | undefined): string {
  if (user[spec.key] !== null || !inForce) return 'Server default';
  const value = inForce[spec.statsKey];
  return `Server default (${value === null ? 'no limit' : spec.format(value)})`;
}

function QuotaHint({ user, spec, choice }: { user: User; spec: QuotaSpec; choice: Choice }) {
  switch (choice.mode) {
    case 'default':
      return user[spec.key] === null ? (
        <>
          The server’s setting <code>{spec.setting}</code> applies, and follows it when it changes.
        </>
      ) : (
        <>
          After saving, the server’s setting <code>{spec.setting}</code> applies instead of this person’s own limit.
        </>
      );
    case 'unlimited':
      return <>No limit for this person, whatever the server default.</>;
    case 'limit':
      return <>A limit for this person only, in place of the server default.</>;
  }
}

function QuotaForm({ user, inForce }: { user: User; inForce: Quota | undefined }) {
  const id = useId();
  const update = useUpdateUser();
  const notify = useToast();
  const [choices, setChoices] = useState<Record<QuotaKey, Choice>>(() => ({
    quota_storage_bytes: choiceOf(user.quota_storage_bytes, STORAGE),
    quota_audio_minutes_per_month: choiceOf(user.quota_audio_minutes_per_month, AUDIO),
    quota_concurrent_jobs: choiceOf(user.quota_concurrent_jobs, JOBS),
  }));
  const [errors, setErrors] = useState<Partial<Record<QuotaKey, string>>>({});

  const choose = (key: QuotaKey, change: Partial<Choice>) => {
    setChoices((current) => ({ ...current, [key]: { ...current[key], ...change } }));
    setErrors((current) => ({ ...current, [key]: undefined }));
  };

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    const changes: UserUpdate = {};
    const found: Partial<Record<QuotaKey, string>> = {};
    for (const spec of QUOTAS) {
      const result = overrideOf(choices[spec.key], spec);
      if ('error' in result) found[spec.key] = result.error;
      else if (result.value !== user[spec.key]) changes[spec.key] = result.value;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    if (Object.keys(changes).length === 0) {
      notify({ title: 'Nothing to save', description: 'These are the quotas in force already.', tone: 'info' });
      return;
    }
    update.mutate(
      { id: user.id, changes },
      { onSuccess: () => notify({ title: `Quotas of ${user.email} saved`, tone: 'success' }) },
    );
  };

  return (
    <form className="quota-form" onSubmit={onSubmit} aria-label={`Quotas of ${user.email}`} noValidate>
      {QUOTAS.map((spec) => {
        const choice = choices[spec.key];
        const error = errors[spec.key];
        const field = `${id}-${spec.key}`;
        return (
          <fieldset key={spec.key} className="quota-form__field">
            <legend className="field__label">{spec.label}</legend>
            <div className="quota-form__inputs">
              <select
                id={`${field}-mode`}
                className="input input--sm"
                aria-label={`${spec.label} limit`}
                value={choice.mode}
                onChange={(e) => {
                  const mode = MODES.find((m) => m === e.target.value) ?? 'default';
                  const known = inForce?.[spec.statsKey];
                  // Start a new limit from what is in force, so a small change is a small edit.
                  const amount =
                    mode === 'limit' && choice.amount === '' && known != null
                      ? String(spec.toAmount(known))
                      : choice.amount;
                  choose(spec.key, { mode, amount });
                }}
              >
                <option value="default">{defaultLabel(user, spec, inForce)}</option>
                <option value="unlimited">No limit</option>
                <option value="limit">Custom limit</option>
              </select>
              {choice.mode === 'limit' && (
                <label className="quota-form__amount">
                  <input
                    className="input input--sm"
                    type="number"
                    inputMode="decimal"
                    min={0}
                    step={spec.whole ? 1 : 'any'}
                    aria-label={`${spec.label} in ${spec.unit}`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${field}-error` : undefined}
                    value={choice.amount}
                    onChange={(e) => choose(spec.key, { amount: e.target.value })}
                  />
                  <span aria-hidden="true">{spec.unit}</span>
                </label>
              )}
            </div>
            {error ? (
              <p id={`${field}-error`} className="field__error" role="alert">
                {error}
              </p>
            ) : (
              <p className="field__hint">
                <QuotaHint user={user} spec={spec} choice={choice} />
              </p>
            )}
          </fieldset>
        );
      })}
      <div className="quota-form__actions">
        <Button type="submit" variant="primary" busy={update.isPending}>
          Save quotas
        </Button>
      </div>
      {update.isError && <ErrorAlert title="The quotas were not saved" error={update.error} />}
    </form>
  );
}

/** One account opened in the users table: usage against quotas, and the quotas to change. */
export function UserDetails({ user, id }: { user: User; id: string }) {
  const stats = useUserStats(user.id);
  return (
    <div className="user-details" id={id} data-testid="user-details">
      <section aria-labelledby={`${id}-usage`} className="stack">
        <div className="user-details__head">
          <h3 id={`${id}-usage`} className="user-details__title">
            Usage of {user.email}
          </h3>
          <span className="user-details__links small">
            <Link to={`/admin/jobs?owner=${user.id}`}>Their jobs</Link>
            <Link to={`/admin/audit?actor=${user.id}`}>What they did</Link>
          </span>
        </div>
        {stats.isPending ? (
          <Spinner label="Loading the usage" />
        ) : stats.isError ? (
          <AdminError title="The usage could not be loaded" error={stats.error} onRetry={() => void stats.refetch()} />
        ) : (
          <UsageMeters stats={stats.data} />
        )}
      </section>
      <QuotaForm user={user} inForce={stats.data?.quota} />
    </div>
  );
}
