import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ApiKey } from '@/api';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { ApiKeysPanel } from './api-keys-panel';

const KEY: ApiKey = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'laptop script',
  prefix: '3f9a1c0b7d2e',
  scope: 'read',
  created_at: new Date().toISOString(),
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
};

describe('ApiKeysPanel', () => {
  it('shows a new key’s secret once, until dismissed', async () => {
    const keys: ApiKey[] = [];
    const { calls } = fakeApi({
      'GET /api/v1/api-keys': () => ({ body: keys }),
      'POST /api/v1/api-keys': () => {
        keys.push(KEY);
        return { status: 201, body: { ...KEY, secret: 'wt_3f9a1c0b7d2e_secret' } };
      },
    });
    renderWithProviders(<ApiKeysPanel />);
    expect(await screen.findByText('No API keys yet')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Name'), 'laptop script');
    await userEvent.selectOptions(screen.getByLabelText('Access'), 'read');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByLabelText('The new API key')).toHaveValue('wt_3f9a1c0b7d2e_secret');
    expect(screen.getByText(/only time the server shows it/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(true);
    expect(await screen.findByRole('row', { name: /laptop script/ })).toHaveTextContent('Read only');

    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByLabelText('The new API key')).not.toBeInTheDocument();
    expect(screen.queryByText('wt_3f9a1c0b7d2e_secret')).not.toBeInTheDocument();
  });

  it('revokes a key after confirmation', async () => {
    let revoked = false;
    fakeApi({
      'GET /api/v1/api-keys': () => ({ body: [{ ...KEY, revoked_at: revoked ? new Date().toISOString() : null }] }),
      'DELETE /api/v1/api-keys/:id': () => {
        revoked = true;
        return { status: 204 };
      },
    });
    renderWithProviders(<ApiKeysPanel />);
    const row = await screen.findByRole('row', { name: /laptop script/ });
    await userEvent.click(within(row).getByRole('button', { name: /Revoke/ }));
    const dialog = await screen.findByRole('dialog', { name: /Revoke the key/ });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await vi.waitFor(() => expect(screen.getByRole('row', { name: /laptop script/ })).toHaveTextContent('Revoked'));
  });
});
