import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { Session } from '../lib/session';
import { SessionContext } from '../lib/use-session';
import { LoginPage, SetupPage } from './auth-pages';

function withSession(ui: React.ReactElement) {
  const session = new Session({ refresh: vi.fn(), logout: vi.fn(), storage: window.localStorage });
  return { session, ui: <SessionContext value={session}>{ui}</SessionContext> };
}

describe('LoginPage', () => {
  it('signs in and keeps the tokens', async () => {
    fakeApi({
      'POST /api/v1/auth/login': () => ({
        body: { access_token: 'acc', refresh_token: 'ref', token_type: 'bearer', expires_in: 900 },
      }),
    });
    const { session, ui } = withSession(<LoginPage />);
    renderWithProviders(ui, { route: '/login' });
    await userEvent.type(screen.getByLabelText('Email'), 'me@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'a long passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(session.getState().status).toBe('signed-in'));
    expect(session.accessToken()).toBe('acc');
  });

  it('shows the server sentence for a wrong password', async () => {
    fakeApi({
      'POST /api/v1/auth/login': () => ({ status: 401, body: { detail: 'The email or password is not right.' } }),
    });
    renderWithProviders(withSession(<LoginPage />).ui, { route: '/login' });
    await userEvent.type(screen.getByLabelText('Email'), 'me@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is not right.');
  });

  it('says how long to wait after too many attempts, and waits', async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(
        new Response(JSON.stringify({ detail: 'Too many failed sign-ins for this account.' }), {
          status: 429,
          headers: { 'content-type': 'application/json', 'retry-after': '30' },
        }),
      ),
    );
    vi.stubGlobal('fetch', fetch);
    renderWithProviders(withSession(<LoginPage />).ui, { route: '/login' });
    await userEvent.type(screen.getByLabelText('Email'), 'me@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You can try again in 30 seconds.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });
});

describe('SetupPage', () => {
  it('explains when setup is already done, with a way to sign in', async () => {
    fakeApi({
      'POST /api/v1/auth/setup': () => ({
        status: 409,
        body: { detail: 'Setup is done: an account already exists. Sign in instead.' },
      }),
    });
    renderWithProviders(withSession(<SetupPage />).ui, { route: '/setup' });
    await userEvent.type(screen.getByLabelText('Email'), 'me@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'a long passphrase');
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'a long passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Create the admin account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Setup is done');
    expect(screen.getByRole('link', { name: 'Go to sign in' })).toHaveAttribute('href', '/login');
  });

  it('catches two different passwords before asking the server', async () => {
    const { fetch } = fakeApi({});
    renderWithProviders(withSession(<SetupPage />).ui, { route: '/setup' });
    await userEvent.type(screen.getByLabelText('Email'), 'me@example.org');
    await userEvent.type(screen.getByLabelText('Password'), 'a long passphrase');
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'another passphrase');
    await userEvent.click(screen.getByRole('button', { name: 'Create the admin account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not the same');
    expect(fetch).not.toHaveBeenCalled();
  });
});
