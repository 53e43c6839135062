import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, type TokenPair } from '@/api';
import { Alert, Button } from '@/components';
import { safeNext, signInErrorMessage } from '../lib/errors';
import { useSessionObject } from '../lib/use-session';

export interface CredentialsFormProps {
  submitLabel: string;
  /** 'current-password' to sign in; 'new-password' asks for it twice. */
  passwordMode: 'current-password' | 'new-password';
  submit: (credentials: { email: string; password: string }) => Promise<TokenPair>;
  /** Extra help under the error, per status (e.g. a link to sign in after a 409). */
  errorHelp?: (error: unknown) => ReactNode;
  initialEmail?: string;
}

/** Email + password → tokens → signed in → on to `?next=`. Shared by login, setup, register. */
export function CredentialsForm({
  submitLabel,
  passwordMode,
  submit,
  errorHelp,
  initialEmail = '',
}: CredentialsFormProps) {
  const id = useId();
  const session = useSessionObject();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  // After a 429, the button waits out the server's Retry-After.
  const [blockedForS, setBlockedForS] = useState(0);

  const mutation = useMutation({
    mutationFn: submit,
    onSuccess: (tokens) => {
      session.signIn(tokens);
      void navigate(safeNext(params.get('next')), { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 429 && error.retryAfterS) {
        setBlockedForS(error.retryAfterS);
      }
    },
  });

  useEffect(() => {
    if (blockedForS <= 0) return;
    const timer = setTimeout(() => setBlockedForS(0), blockedForS * 1000);
    return () => clearTimeout(timer);
  }, [blockedForS]);
  const blocked = blockedForS > 0;

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (passwordMode === 'new-password' && password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    mutation.mutate({ email: email.trim(), password });
  };

  return (
    <form className="auth__form" onSubmit={onSubmit} noValidate={false}>
      {mutation.isError && (
        <Alert>
          <p>{signInErrorMessage(mutation.error)}</p>
          {errorHelp?.(mutation.error)}
        </Alert>
      )}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          className="input"
          type="email"
          autoComplete={passwordMode === 'new-password' ? 'email' : 'username'}
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          className="input"
          type="password"
          autoComplete={passwordMode}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          aria-describedby={passwordMode === 'new-password' ? `${id}-hint` : undefined}
        />
        {passwordMode === 'new-password' && (
          <p id={`${id}-hint`} className="small muted">
            At least 10 characters; a few words you will remember make a good one.
          </p>
        )}
      </div>
      {passwordMode === 'new-password' && (
        <div className="field">
          <label htmlFor={`${id}-repeat`}>Repeat the password</label>
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
              The two passwords are not the same.
            </p>
          )}
        </div>
      )}
      <Button type="submit" variant="primary" busy={mutation.isPending} disabled={blocked} className="auth__submit">
        {submitLabel}
      </Button>
    </form>
  );
}
