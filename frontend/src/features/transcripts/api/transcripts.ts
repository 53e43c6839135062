import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, isNotFound, unwrap, type Transcript } from '@/api';
import { useLiveRefetchInterval } from '@/lib/live-updates';
import { transcriptKeys } from './keys';
import { withLiveSegments } from './live';

export { transcriptKeys };

const growing = (status: string | undefined) => status === 'queued' || status === 'running';

/**
 * The transcript of a job. While the job runs, live `job.segment` events append to it (see
 * ./live.ts), or, while the live connection is down, it is re-fetched; when `live` turns
 * false (the job finished) it is fetched once more, for the final text and word timings.
 */
export function useTranscript(jobId: string, live: boolean) {
  const refetchInterval = useLiveRefetchInterval<Transcript>((data) => live || growing(data?.status));
  const query = useQuery({
    queryKey: transcriptKeys.detail(jobId),
    queryFn: async ({ signal, client }) =>
      withLiveSegments(
        client,
        await unwrap(api.GET('/api/v1/jobs/{job_id}/transcript', { params: { path: { job_id: jobId } }, signal })),
      ),
    refetchInterval,
    retry: (count, error) => count < 2 && !isNotFound(error),
  });
  const wasLive = useRef(live);
  const { refetch } = query;
  useEffect(() => {
    if (wasLive.current && !live) void refetch({ cancelRefetch: false }); // joins a fetch under way
    wasLive.current = live;
  }, [live, refetch]);
  return query;
}
