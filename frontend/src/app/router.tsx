import { createBrowserRouter, RouterProvider } from 'react-router';
import { Layout } from './layout';
import { DashboardRoute } from './routes/dashboard';
import { RouteErrorBoundary } from './routes/error';
import { JobRoute } from './routes/job';
import { NotFoundRoute } from './routes/not-found';

const routes = [
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorBoundary />,
    children: [
      { index: true, element: <DashboardRoute /> },
      { path: 'jobs/:jobId', element: <JobRoute /> },
      { path: '*', element: <NotFoundRoute /> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
