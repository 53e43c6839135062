/** Editing a finished transcript (docs/api.md, "Editing"): segment text and speaker, rename, versions, revert. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, unwrap, type Segment, type SegmentEdit, type Transcript } from '@/api';
import { transcriptKeys } from './keys';

export const versionKeys = {
  all: (jobId: string) => [...transcriptKeys.detail(jobId), 'versions'] as const,
  segment: (jobId: string, segmentId: number) => [...versionKeys.all(jobId), segmentId] as const,
};

/** Put the server's new version of a segment into the cached transcript. */
function replaceSegment(client: QueryClient, jobId: string, segment: Segment): void {
  client.setQueryData<Transcript>(transcriptKeys.detail(jobId), (transcript) => {
    if (!transcript) return transcript;
    const segments = transcript.segments.map((s) => (s.id === segment.id ? segment : s));
    return { ...transcript, segments, text: segments.map((s) => s.text.trim()).join(' ') };
  });
  void client.invalidateQueries({ queryKey: versionKeys.segment(jobId, segment.id) });
}

export function useEditSegment(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ segmentId, edit }: { segmentId: number; edit: SegmentEdit }) =>
      unwrap(
        api.PATCH('/api/v1/jobs/{job_id}/transcript/segments/{segment_id}', {
          params: { path: { job_id: jobId, segment_id: segmentId } },
          body: edit,
        }),
      ),
    onSuccess: (segment) => replaceSegment(client, jobId, segment),
  });
}

export function useRevertSegment(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (segmentId: number) =>
      unwrap(
        api.POST('/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/revert', {
          params: { path: { job_id: jobId, segment_id: segmentId } },
        }),
      ),
    onSuccess: (segment) => replaceSegment(client, jobId, segment),
  });
}

export function useRenameSpeaker(jobId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ from, to }: { from: string; to: string }) =>
      unwrap(
        api.POST('/api/v1/jobs/{job_id}/transcript/speakers/rename', {
          params: { path: { job_id: jobId } },
          body: { from, to },
        }),
      ),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: transcriptKeys.detail(jobId), exact: true }),
        client.invalidateQueries({ queryKey: versionKeys.all(jobId) }),
      ]),
  });
}

export function useSegmentVersions(jobId: string, segmentId: number) {
  return useQuery({
    queryKey: versionKeys.segment(jobId, segmentId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/jobs/{job_id}/transcript/segments/{segment_id}/versions', {
          params: { path: { job_id: jobId, segment_id: segmentId } },
          signal,
        }),
      ),
  });
}
