import { useCallback, useEffect, useMemo, useReducer, useRef, type ReactNode } from 'react';
import { errorMessage, uploadJob, type JobOptions, type UploadedJob } from '@/api';
import { UploadContext, type UploadQueue } from '../api/upload-context';
import { nextToStart, uploadReducer } from '../api/upload-queue';

export interface UploadProviderProps {
  children: ReactNode;
  /** Called once per created job (the app refreshes the job list with it). */
  onJobCreated?: (job: UploadedJob) => void;
  /** The signed-in person's id: unfinished uploads are remembered per person. */
  owner?: string | null;
  /** Injected in tests; the real (tus) uploader by default. */
  upload?: typeof uploadJob;
}

let counter = 0;
const newId = () => `upload-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * Sends each file as its own job, a few at a time. It sits above the routes, so uploads
 * keep going (and keep their progress) while the user opens a job page.
 */
export function UploadProvider({ children, onJobCreated, owner = null, upload = uploadJob }: UploadProviderProps) {
  const [items, dispatch] = useReducer(uploadReducer, []);
  const controllers = useRef(new Map<string, AbortController>());
  const onCreated = useRef(onJobCreated);
  useEffect(() => {
    onCreated.current = onJobCreated;
  }, [onJobCreated]);

  useEffect(() => {
    for (const item of nextToStart(items)) {
      if (controllers.current.has(item.id)) continue;
      const controller = new AbortController();
      controllers.current.set(item.id, controller);
      dispatch({ type: 'start', id: item.id });
      upload(item.file, item.options, {
        signal: controller.signal,
        owner,
        onProgress: ({ loaded, total }) => dispatch({ type: 'progress', id: item.id, loaded, total }),
        onUploadId: (uploadId) => dispatch({ type: 'upload-id', id: item.id, uploadId }),
        onResume: () => dispatch({ type: 'resumed', id: item.id }),
      })
        .then((job) => {
          dispatch({ type: 'done', id: item.id, job: { id: job.id, filename: job.filename } });
          onCreated.current?.(job);
        })
        .catch((error: unknown) => {
          if (error instanceof DOMException && error.name === 'AbortError')
            dispatch({ type: 'cancelled', id: item.id });
          else dispatch({ type: 'failed', id: item.id, error: errorMessage(error) });
        })
        .finally(() => controllers.current.delete(item.id));
    }
  }, [items, upload, owner]);

  useEffect(() => {
    const running = controllers.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);

  const add = useCallback((files: readonly File[], options: JobOptions) => {
    if (files.length === 0) return;
    dispatch({ type: 'add', items: files.map((file) => ({ id: newId(), file, options })) });
  }, []);
  const cancel = useCallback((id: string) => {
    const controller = controllers.current.get(id);
    if (controller) controller.abort();
    else dispatch({ type: 'cancelled', id });
  }, []);
  const retry = useCallback((id: string) => dispatch({ type: 'retry', id }), []);
  const dismiss = useCallback((id: string) => dispatch({ type: 'dismiss', id }), []);
  const clearFinished = useCallback(() => dispatch({ type: 'clear-finished' }), []);

  const queue = useMemo<UploadQueue>(
    () => ({ items, owner, add, cancel, retry, dismiss, clearFinished }),
    [items, owner, add, cancel, retry, dismiss, clearFinished],
  );
  return <UploadContext.Provider value={queue}>{children}</UploadContext.Provider>;
}
