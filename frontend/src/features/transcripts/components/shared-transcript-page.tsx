import { useEffect, useMemo } from 'react';
import { apiUrl, EXPORT_FORMATS, isNotFound, type Segment } from '@/api';
import { EmptyState, ErrorAlert, Spinner, ThemeToggle } from '@/components';
import { formatDateTime, formatDuration, formatLanguage, parseApiDate } from '@/lib/format';
import { useSharedTranscript } from '../api/shares';
import { ReadOnlyTranscript } from './read-only-transcript';

const sharedUrl = (token: string, rest = '') => apiUrl(`/api/v1/shared/${encodeURIComponent(token)}${rest}`);

/** What a share link opens: one transcript, read-only, no account, nothing else. */
export function SharedTranscriptPage({ token }: { token: string }) {
  const query = useSharedTranscript(token);
  const data = query.data;
  // Shared segments carry no ids; their order is their identity here.
  const segments = useMemo<Segment[]>(
    () => (data?.segments ?? []).map((segment, index) => ({ ...segment, id: index + 1 })),
    [data],
  );

  useEffect(() => {
    document.title = `${data?.filename ?? 'Shared transcript'} · Whisper Transcriber`;
  }, [data?.filename]);

  return (
    <div className="shared">
      <header className="topbar">
        <div className="topbar__inner">
          <span className="brand">
            <img src="/icon.svg" alt="" width={30} height={30} className="brand__logo" />
            <span className="brand__name">Whisper Transcriber</span>
          </span>
          <span className="topbar__nav muted small">A shared transcript, read-only</span>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" className="main page page--job" tabIndex={-1}>
        {query.isPending ? (
          <div className="loading-block">
            <Spinner size={22} label="Loading the transcript" />
          </div>
        ) : query.isError ? (
          isNotFound(query.error) ? (
            <EmptyState icon="search" title="This link shows nothing">
              It may have expired or been revoked. Ask whoever sent it for a new one.
            </EmptyState>
          ) : (
            <ErrorAlert title="The transcript could not be loaded" error={query.error} />
          )
        ) : (
          <>
            <section className="job-summary" aria-label="Shared transcript">
              <h1 className="job-summary__title break-anywhere">{data?.filename}</h1>
              <dl className="facts">
                <div>
                  <dt>Duration</dt>
                  <dd>{formatDuration(data?.duration_s)}</dd>
                </div>
                <div>
                  <dt>Language</dt>
                  <dd>{formatLanguage(data?.language)}</dd>
                </div>
                <div>
                  <dt>Link expires</dt>
                  <dd>{data?.expires_at ? formatDateTime(parseApiDate(data.expires_at)) : 'Never'}</dd>
                </div>
              </dl>
            </section>
            <ReadOnlyTranscript
              segments={segments}
              mediaSrc={data?.include_media ? sharedUrl(token, '/media') : null}
              noMedia={{ title: 'Shared without the audio' }}
              title={data?.filename ?? 'shared transcript'}
              empty={{ title: 'No speech', text: 'This transcript has no text.' }}
              actions={
                <div className="downloads" role="group" aria-label="Download the transcript">
                  <span className="downloads__label">Download</span>
                  {EXPORT_FORMATS.map((format) => (
                    <a
                      key={format}
                      className="btn btn--secondary btn--sm"
                      href={sharedUrl(token, `/transcript.${format}`)}
                      download
                    >
                      {format.toUpperCase()}
                    </a>
                  ))}
                </div>
              }
            />
          </>
        )}
      </main>
    </div>
  );
}
