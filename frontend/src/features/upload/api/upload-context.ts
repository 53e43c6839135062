import { createContext, useContext } from 'react';
import type { JobOptions } from '@/api';
import type { UploadItem } from './upload-queue';

export interface UploadQueue {
  items: readonly UploadItem[];
  /** Whose uploads these are (unfinished uploads are remembered per person). */
  owner: string | null;
  add: (files: readonly File[], options: JobOptions) => void;
  cancel: (id: string) => void;
  retry: (id: string) => void;
  dismiss: (id: string) => void;
  clearFinished: () => void;
}

export const UploadContext = createContext<UploadQueue | null>(null);

export function useUploadQueue(): UploadQueue {
  const queue = useContext(UploadContext);
  if (!queue) throw new Error('useUploadQueue needs an <UploadProvider> above it.');
  return queue;
}
