import { Link, useSearchParams } from 'react-router';
import { ApiError } from '@/api';
import { login, register, setupAdmin } from '../api/auth';
import { useSession } from '../lib/use-session';
import { AuthShell } from './auth-shell';
import { CredentialsForm } from './credentials-form';

function withNext(path: string, next: string | null): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const { reason } = useSession();
  const next = params.get('next');
  return (
    <AuthShell
      title="Sign in"
      subtitle="Use the account the administrator of this server gave you."
      footer={
        <>
          <p>
            No account yet? <Link to={withNext('/register', next)}>Create one</Link> (where this server allows it).
          </p>
          <p>
            First time on a new server? <Link to="/setup">Set up the admin account</Link>
          </p>
        </>
      }
    >
      {reason === 'expired' && (
        <p className="auth__notice" role="status">
          Your session ended; sign in again to continue.
        </p>
      )}
      {reason === 'offline' && (
        <p className="auth__notice" role="status">
          The server could not be reached to resume your session. Sign in again, or reload when it is back.
        </p>
      )}
      <CredentialsForm submitLabel="Sign in" passwordMode="current-password" submit={login} />
    </AuthShell>
  );
}

/**
 * The first account of a fresh server. Nothing tells a visitor whether setup is still
 * open (the server exposes no such flag), so the page just tries: once an account exists
 * the server answers 409 and the page says so with a link to sign in.
 */
export function SetupPage() {
  return (
    <AuthShell
      title="Create the admin account"
      subtitle="The first account of a new server becomes its administrator. Once it exists, this page is closed."
      footer={
        <p>
          Already set up? <Link to="/login">Sign in</Link>
        </p>
      }
    >
      <CredentialsForm
        submitLabel="Create the admin account"
        passwordMode="new-password"
        submit={setupAdmin}
        errorHelp={(error) =>
          error instanceof ApiError && error.status === 409 ? (
            <p>
              <Link to="/login">Go to sign in</Link>
            </p>
          ) : null
        }
      />
    </AuthShell>
  );
}

/** Self-service accounts: open registration, or an invite link (`/register?invite=…`). */
export function RegisterPage() {
  const [params] = useSearchParams();
  const invite = params.get('invite');
  return (
    <AuthShell
      title={invite ? 'Accept your invitation' : 'Create an account'}
      subtitle={
        invite
          ? 'You were invited to this server: choose the email and password you will sign in with.'
          : 'Where the administrator has opened registration, anyone can create an account here.'
      }
      footer={
        <p>
          Have an account? <Link to={withNext('/login', params.get('next'))}>Sign in</Link>
        </p>
      }
    >
      <CredentialsForm
        submitLabel="Create the account"
        passwordMode="new-password"
        submit={(credentials) => register({ ...credentials, invite: invite || null })}
      />
    </AuthShell>
  );
}
