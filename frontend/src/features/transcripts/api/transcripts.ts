import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, isNotFound, unwrap, type Transcript } from '@/api';
import { liveRefetchInterval } from '@/lib/live-updates';

export const transcriptKeys = {
  all: ['transcripts'] as const,
  detail: (jobId: string) => [...transcriptKeys.all, jobId] as const,
};

const growing = (status: string | undefined) => status === 'queued' || status === 'running';

/**
 * The transcript of a job. While the job runs it is re-fetched (it grows segment by
 * segment); when `live` turns false (the job finished) it is fetched once more.
 */
export function useTranscript(jobId: string, live: boolean) {
  const query = useQuery({
    queryKey: transcriptKeys.detail(jobId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/jobs/{job_id}/transcript', { params: { path: { job_id: jobId } }, signal })),
    refetchInterval: liveRefetchInterval<Transcript>((data) => live || growing(data?.status)),
    retry: (count, error) => count < 2 && !isNotFound(error),
  });

  const wasLive = useRef(live);
  const { refetch } = query;
  useEffect(() => {
    if (wasLive.current && !live) void refetch();
    wasLive.current = live;
  }, [live, refetch]);

  return query;
}
