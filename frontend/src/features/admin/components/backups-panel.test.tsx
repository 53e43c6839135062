import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Backup } from '@/api';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { BackupsPanel } from './backups-panel';

const BACKUP: Backup = {
  name: 'backup-20260301T101500000000Z.tar.gz',
  size_bytes: 3 * 1024 * 1024,
  created_at: new Date().toISOString(),
};

describe('BackupsPanel', () => {
  it('makes a backup now and lists it with a download link the browser follows with its cookie', async () => {
    const backups: Backup[] = [];
    const { calls } = fakeApi({
      'GET /api/v1/admin/backups': () => ({ body: backups }),
      'POST /api/v1/admin/backups': () => {
        backups.unshift(BACKUP);
        return { status: 201, body: BACKUP };
      },
    });
    renderWithProviders(<BackupsPanel />);
    expect(await screen.findByText('No backups yet')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Make a backup now' }));
    const row = await screen.findByRole('row', { name: /backup-20260301T101500000000Z/ });
    expect(row).toHaveTextContent('3.0 MB');
    const download = within(row).getByRole('link', { name: `Download ${BACKUP.name}` });
    // A plain link, not a fetch: an archive of every recording can be larger than memory.
    expect(download).toHaveAttribute('href', `http://api.test/api/v1/admin/backups/${BACKUP.name}`);
    expect(download).toHaveAttribute('download', BACKUP.name);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
    expect(await screen.findByText(`Backup ${BACKUP.name} made`)).toBeInTheDocument();
  });

  it('says why no backup was made', async () => {
    fakeApi({
      'GET /api/v1/admin/backups': () => ({ body: [] }),
      'POST /api/v1/admin/backups': () => ({ status: 422, body: { detail: 'pg_dump is not installed here.' } }),
    });
    renderWithProviders(<BackupsPanel />);
    await userEvent.click(await screen.findByRole('button', { name: 'Make a backup now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('pg_dump is not installed here.');
  });
});
