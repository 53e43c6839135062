export const transcriptKeys = {
  all: ['transcripts'] as const,
  detail: (jobId: string) => [...transcriptKeys.all, jobId] as const,
};
