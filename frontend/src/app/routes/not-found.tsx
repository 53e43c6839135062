import { Link } from 'react-router';
import { EmptyState } from '@/components';

export function NotFoundRoute() {
  return (
    <div className="page">
      <EmptyState icon="search" title="Page not found">
        <Link to="/">Go to your jobs</Link>
      </EmptyState>
    </div>
  );
}
