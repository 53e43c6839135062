import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap, type SearchPage } from '@/api';

export const searchKeys = {
  all: ['search'] as const,
  query: (q: string) => [...searchKeys.all, q] as const,
};

/** The API cuts queries at 200 characters; the box does too. */
export const MAX_QUERY_CHARS = 200;
export const SEARCH_PAGE_SIZE = 20;

/** Needs a letter or a digit: the server answers 422 to a query without any word. */
export function isSearchable(q: string): boolean {
  return /[\p{L}\p{N}]/u.test(q);
}

export function useSearch(q: string) {
  const query = q.trim();
  return useInfiniteQuery({
    queryKey: searchKeys.query(query),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/search', {
          params: { query: { q: query, limit: SEARCH_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last: SearchPage) => last.next_cursor ?? null,
    enabled: isSearchable(query),
    placeholderData: keepPreviousData,
  });
}
