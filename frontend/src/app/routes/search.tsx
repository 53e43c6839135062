import { SearchPage } from '@/features/search';

export function SearchRoute() {
  return <SearchPage />;
}
