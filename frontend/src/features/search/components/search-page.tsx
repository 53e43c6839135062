import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { SearchHit } from '@/api';
import { Button, EmptyState, ErrorAlert, Icon, Spinner } from '@/components';
import { formatTimestamp } from '@/lib/format';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { MAX_QUERY_CHARS, isSearchable, useSearch } from '../api/search';
import { parseSnippet } from '../lib/snippet';

/** Search every transcript of mine; a hit opens its transcript with the audio at that moment. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebouncedValue(text, 300).trim();

  // The query lives in the URL, so a search can be bookmarked and Back returns to it.
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParams(q ? { q } : {}, { replace: true });
  }, [q, params, setParams]);
  useEffect(() => {
    document.title = `${q ? `“${q}” · ` : ''}Search · Whisper Transcriber`;
  }, [q]);

  const search = useSearch(q);
  const hits = search.data?.pages.flatMap((page) => page.items) ?? [];
  const searchable = isSearchable(q);

  return (
    <div className="page page--search">
      <section className="card" aria-labelledby="search-title">
        <header className="card__header">
          <div>
            <h1 id="search-title" className="card__title">
              Search transcripts
            </h1>
            <p className="card__subtitle">
              Words anywhere in your transcripts (all must match), <q>quoted phrases</q> and prefixes like{' '}
              <code>transcri*</code>. Edited text is what is searched.
            </p>
          </div>
          {search.isFetching && !search.isFetchingNextPage && <Spinner size={16} label="Searching" />}
        </header>
        <div className="card__pad">
          <form role="search" onSubmit={(event) => event.preventDefault()}>
            <label className="search search--wide">
              <Icon name="search" className="search__icon" />
              <span className="visually-hidden">Search your transcripts</span>
              <input
                type="search"
                className="input search__input"
                placeholder="Search your transcripts"
                value={text}
                maxLength={MAX_QUERY_CHARS}
                autoFocus
                onChange={(event) => setText(event.target.value)}
              />
            </label>
          </form>
        </div>
        {!q ? (
          <EmptyState icon="search" title="Find the moment someone said it">
            Type a word or a phrase; results show the recording and the time, and open the transcript there.
          </EmptyState>
        ) : !searchable ? (
          <EmptyState icon="search" title="Type a word">
            Punctuation alone finds nothing: a search needs at least one letter or digit.
          </EmptyState>
        ) : search.isError && hits.length === 0 ? (
          <div className="card__pad">
            <ErrorAlert title="The search failed" error={search.error} />
          </div>
        ) : search.isPending ? (
          <div className="loading-block">
            <Spinner size={22} label="Searching" />
          </div>
        ) : hits.length === 0 ? (
          <EmptyState icon="search" title="No matches">
            Nothing in your transcripts matches “{q}”.
          </EmptyState>
        ) : (
          <>
            <ol className="search-results" aria-label="Search results">
              {hits.map((hit) => (
                <SearchResult key={`${hit.job_id}-${hit.segment_id}`} hit={hit} />
              ))}
            </ol>
            {search.hasNextPage && (
              <div className="load-more">
                <Button onClick={() => void search.fetchNextPage()} busy={search.isFetchingNextPage}>
                  More results
                </Button>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function SearchResult({ hit }: { hit: SearchHit }) {
  const stamp = formatTimestamp(hit.start);
  return (
    <li className="search-result" data-testid="search-result">
      <Link
        className="search-result__link"
        to={`/jobs/${encodeURIComponent(hit.job_id)}?t=${hit.start}`}
        aria-label={`${hit.filename} at ${stamp}`}
      >
        <span className="search-result__head">
          <span className="search-result__file break-anywhere">{hit.filename}</span>
          <span className="search-result__time">
            <Icon name="play" size={12} /> {stamp}
          </span>
          {hit.speaker && <span className="segment__speaker">{hit.speaker}</span>}
        </span>
        <span className="search-result__snippet">
          {parseSnippet(hit.snippet).map((part, index) =>
            part.marked ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
          )}
        </span>
      </Link>
    </li>
  );
}
