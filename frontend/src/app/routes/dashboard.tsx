import { useEffect } from 'react';
import { JobsPanel } from '@/features/jobs';
import { UploadPanel } from '@/features/upload';

export function DashboardRoute() {
  useEffect(() => {
    document.title = 'Jobs · Whisper Transcriber';
  }, []);
  return (
    <div className="page page--dashboard">
      <UploadPanel />
      <JobsPanel />
    </div>
  );
}
