import { createBrowserRouter, RouterProvider } from 'react-router';
import { PublicOnly, RequireAdmin, LoginPage, RegisterPage, SetupPage } from '@/features/auth';
import { Layout } from './layout';
import { AccessPanel, AdminJobsPanel, AuditPanel, BackupsPanel, WorkersPanel } from '@/features/admin';
import { AdminLayout, AdminUsersRoute } from './routes/admin';
import { AdminJobRoute } from './routes/admin-job';
import { ApiKeysRoute, PasswordRoute, UsageRoute } from './routes/account';
import { DashboardRoute } from './routes/dashboard';
import { RouteErrorBoundary } from './routes/error';
import { JobRoute } from './routes/job';
import { NotFoundRoute } from './routes/not-found';
import { SearchRoute } from './routes/search';
import { SharedRoute } from './routes/shared';

const routes = [
  {
    path: '/login',
    element: (
      <PublicOnly>
        <LoginPage />
      </PublicOnly>
    ),
    errorElement: <RouteErrorBoundary />,
  },
  {
    path: '/setup',
    element: (
      <PublicOnly>
        <SetupPage />
      </PublicOnly>
    ),
    errorElement: <RouteErrorBoundary />,
  },
  {
    path: '/register',
    element: (
      <PublicOnly>
        <RegisterPage />
      </PublicOnly>
    ),
    errorElement: <RouteErrorBoundary />,
  },
  { path: '/shared/:token', element: <SharedRoute />, errorElement: <RouteErrorBoundary /> },
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorBoundary />,
    children: [
      { index: true, element: <DashboardRoute /> },
      { path: 'jobs/:jobId', element: <JobRoute /> },
      { path: 'search', element: <SearchRoute /> },
      { path: 'account/api-keys', element: <ApiKeysRoute /> },
      { path: 'account/password', element: <PasswordRoute /> },
      { path: 'account/usage', element: <UsageRoute /> },
      {
        path: 'admin',
        element: (
          <RequireAdmin>
            <AdminLayout />
          </RequireAdmin>
        ),
        children: [
          { index: true, element: <AdminUsersRoute /> },
          { path: 'jobs', element: <AdminJobsPanel /> },
          { path: 'audit', element: <AuditPanel /> },
          { path: 'backups', element: <BackupsPanel /> },
          { path: 'workers', element: <WorkersPanel /> },
          { path: 'access', element: <AccessPanel /> },
        ],
      },
      {
        // Outside the tabs: a job page of its own, like the owner's.
        path: 'admin/jobs/:jobId',
        element: (
          <RequireAdmin>
            <AdminJobRoute />
          </RequireAdmin>
        ),
      },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
