import { useId, useState, type SyntheticEvent } from 'react';
import { Button, ErrorAlert, useToast } from '@/components';
import { useChangePassword } from '../api/account';

export function ChangePasswordForm() {
  const id = useId();
  const change = useChangePassword();
  const notify = useToast();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          notify({
            title: 'Password changed',
            description: 'You stay signed in here; your other sessions have ended.',
            tone: 'success',
          });
        },
      },
    );
  };

  return (
    <section className="card narrow" aria-labelledby="password-title">
      <header className="card__header">
        <div>
          <h1 id="password-title" className="card__title">
            Change password
          </h1>
          <p className="card__subtitle">
            Other browsers signed in to your account are signed out. API keys keep working.
          </p>
        </div>
      </header>
      <form className="card__pad stack" onSubmit={onSubmit}>
        {change.isError && <ErrorAlert title="The password was not changed" error={change.error} />}
        <input type="text" autoComplete="username" hidden readOnly />
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input
            id={`${id}-current`}
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>New password</label>
          <input
            id={`${id}-new`}
            className="input"
            type="password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
            aria-describedby={`${id}-hint`}
          />
          <p id={`${id}-hint`} className="small muted">
            At least 10 characters, not containing your email.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-repeat`}>Repeat the new password</label>
          <input
            id={`${id}-repeat`}
            className="input"
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            aria-invalid={mismatch || undefined}
            aria-describedby={mismatch ? `${id}-mismatch` : undefined}
          />
          {mismatch && (
            <p id={`${id}-mismatch`} className="field__error" role="alert">
              The two new passwords are not the same.
            </p>
          )}
        </div>
        <div>
          <Button type="submit" variant="primary" busy={change.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}
