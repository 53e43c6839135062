import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { BackupsPanel, WorkersPanel } from '@/features/admin';
import { fakeApi } from '@/test/fake-api';
import { renderWithProviders } from '@/test/render';
import { AdminLayout } from './admin';

describe('AdminLayout', () => {
  it('shows one section per address, marks it in the navigation and names the page after it', async () => {
    fakeApi({
      'GET /api/v1/admin/backups': () => ({ body: [] }),
      'GET /api/v1/admin/workers': () => ({ body: [] }),
    });
    renderWithProviders(
      <Routes>
        <Route path="/admin" element={<AdminLayout />}>
          <Route path="backups" element={<BackupsPanel />} />
          <Route path="workers" element={<WorkersPanel />} />
        </Route>
      </Routes>,
      { route: '/admin/backups' },
    );
    const nav = screen.getByRole('navigation', { name: 'Administration' });
    expect(within(nav).getByRole('link', { name: 'Backups' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Users' })).not.toHaveAttribute('aria-current');
    expect(await screen.findByRole('heading', { level: 2, name: 'Backups' })).toBeInTheDocument();
    expect(document.title).toBe('Backups · Administration · Whisper Transcriber');

    await userEvent.click(within(nav).getByRole('link', { name: 'Workers' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Workers' })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Workers' })).toHaveAttribute('aria-current', 'page');
  });
});
