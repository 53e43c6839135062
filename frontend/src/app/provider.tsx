import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ToastProvider } from '@/components';
import { AuthProvider } from '@/features/auth';
import { invalidateJobs } from '@/features/jobs';
import { UploadProvider } from '@/features/upload';
import { makeQueryClient } from './query-client';

/** Features meet here: a finished upload refreshes the job list. */
function Uploads({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  return <UploadProvider onJobCreated={() => void invalidateJobs(client)}>{children}</UploadProvider>;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      <AuthProvider>
        <ToastProvider>
          <Uploads>{children}</Uploads>
        </ToastProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
