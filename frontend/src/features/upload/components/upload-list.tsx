import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { forgetUnfinishedUpload, unfinishedUploads, type UnfinishedUpload } from '@/api';
import { Button, Icon, ProgressBar } from '@/components';
import { formatBytes } from '@/lib/format';
import { useNow } from '@/lib/use-now';
import { useOtherTabUploads, visibleOtherTabUploads, type OtherTabUpload } from '../api/other-tabs';
import { useUploadQueue } from '../api/upload-context';
import { isFinished, ownUploadIds, type UploadItem } from '../api/upload-queue';

const STATUS_TEXT: Record<UploadItem['status'], string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  processing: 'Checking the file…',
  done: 'Queued for transcription',
  error: 'Failed',
  cancelled: 'Cancelled',
};

export function UploadList() {
  const { items, owner, cancel, retry, dismiss, clearFinished } = useUploadQueue();
  const now = useNow(15_000).getTime();
  const others = visibleOtherTabUploads(useOtherTabUploads(), ownUploadIds(items), now);
  const unfinished = useUnfinishedUploads(owner, items, others);
  if (items.length === 0 && others.length === 0 && unfinished.list.length === 0) return null;
  const finished = items.filter(isFinished).length;

  return (
    <div className="uploads">
      {unfinished.list.length > 0 && <UnfinishedNotice uploads={unfinished.list} onForget={unfinished.forget} />}
      {items.length > 0 && (
        <OwnUploads items={items} finished={finished} {...{ cancel, retry, dismiss, clearFinished }} />
      )}
      {others.length > 0 && <OtherTabList uploads={others} />}
    </div>
  );
}

function OwnUploads({
  items,
  finished,
  cancel,
  retry,
  dismiss,
  clearFinished,
}: {
  items: readonly UploadItem[];
  finished: number;
  cancel: (id: string) => void;
  retry: (id: string) => void;
  dismiss: (id: string) => void;
  clearFinished: () => void;
}) {
  return (
    <>
      <div className="uploads__head">
        <h3 className="uploads__title">
          Uploads <span className="muted">({items.length})</span>
        </h3>
        {finished > 0 && (
          <Button size="sm" variant="ghost" onClick={clearFinished}>
            Clear finished
          </Button>
        )}
      </div>
      <ul className="uploads__list" aria-label="Uploads">
        {items.map((item) => (
          <UploadRow key={item.id} item={item} onCancel={cancel} onRetry={retry} onDismiss={dismiss} />
        ))}
      </ul>
    </>
  );
}

// Uploads started after this page loaded are another open tab's, not a closed page's. (The
// stored time has whole seconds: one started in the same second shows until that tab's first
// upload.progress event hides it.)
const PAGE_LOADED_AT = Date.now();

/**
 * Uploads remembered in this browser that a closed or reloaded page left unfinished: not this
 * tab's, not one another tab reports progress for, and started before this page loaded.
 */
function useUnfinishedUploads(owner: string | null, items: readonly UploadItem[], others: readonly OtherTabUpload[]) {
  const [stored, setStored] = useState<UnfinishedUpload[]>([]);
  // Look again whenever an upload of this tab starts or ends (it adds or removes an entry).
  const signature = items.map((item) => `${item.id}:${item.status}:${item.uploadId ?? ''}`).join(',');
  useEffect(() => {
    let live = true;
    unfinishedUploads(owner).then(
      (list) => live && setStored(list),
      () => live && setStored([]),
    );
    return () => {
      live = false;
    };
  }, [owner, signature]);
  const own = ownUploadIds(items);
  for (const upload of others) own.add(upload.upload_id);
  const sending = new Set(
    items.filter((item) => !isFinished(item)).map((item) => `${item.file.name}:${item.file.size}`),
  );
  const list = stored.filter(
    (upload) =>
      !(upload.uploadId && own.has(upload.uploadId)) &&
      !sending.has(`${upload.filename}:${upload.size ?? ''}`) &&
      !(upload.startedAt > PAGE_LOADED_AT),
  );
  const forget = (upload: UnfinishedUpload) => {
    setStored((current) => current.filter((entry) => entry.key !== upload.key));
    void forgetUnfinishedUpload(upload);
  };
  return { list, forget };
}

function UnfinishedNotice({
  uploads,
  onForget,
}: {
  uploads: readonly UnfinishedUpload[];
  onForget: (upload: UnfinishedUpload) => void;
}) {
  return (
    <div className="uploads__unfinished" role="note" aria-label="Unfinished uploads">
      <p className="uploads__hint">
        {uploads.length === 1 ? 'This upload' : 'These uploads'} stopped before the end (the page was closed or
        reloaded). Pick the same {uploads.length === 1 ? 'file' : 'files'} again to go on from where{' '}
        {uploads.length === 1 ? 'it' : 'they'} stopped.
      </p>
      <ul className="uploads__list">
        {uploads.map((upload) => (
          <li key={upload.key} className="upload upload--unfinished" data-testid="unfinished-upload">
            <div className="upload__main">
              <NameLine name={upload.filename} size={upload.size} />
            </div>
            <div className="upload__actions">
              <Button
                size="sm"
                variant="ghost"
                icon="x"
                aria-label={`Forget the unfinished upload of ${upload.filename}`}
                title="Forget it (its bytes are deleted on the server)"
                onClick={() => onForget(upload)}
              />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function NameLine({ name, size }: { name: string; size: number | null }) {
  return (
    <div className="upload__line">
      <span className="upload__name" title={name}>
        {name}
      </span>
      {size !== null && <span className="upload__size">{formatBytes(size)}</span>}
    </div>
  );
}

function OtherTabList({ uploads }: { uploads: readonly OtherTabUpload[] }) {
  return (
    <>
      <div className="uploads__head">
        <h3 className="uploads__title">
          Uploading in another tab <span className="muted">({uploads.length})</span>
        </h3>
      </div>
      <ul className="uploads__list" aria-label="Uploads in other tabs">
        {uploads.map((upload) => {
          const fraction = upload.length > 0 ? upload.offset / upload.length : 0;
          return (
            <li key={upload.upload_id} className="upload upload--elsewhere" data-testid="other-tab-upload">
              <div className="upload__main">
                <NameLine name={upload.filename} size={upload.length} />
                <ProgressBar
                  size="sm"
                  tone="muted"
                  value={fraction}
                  label={`Upload of ${upload.filename} in another tab`}
                />
                <p className="upload__status">
                  {`${Math.floor(fraction * 100)}% · ${formatBytes(upload.offset)} of ${formatBytes(upload.length)} · in another tab or window`}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function UploadRow({
  item,
  onCancel,
  onRetry,
  onDismiss,
}: {
  item: UploadItem;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  onDismiss: (id: string) => void;
}) {
  const fraction = item.total > 0 ? item.loaded / item.total : 0;
  const name = item.file.name;
  const tone =
    item.status === 'error'
      ? 'danger'
      : item.status === 'done'
        ? 'success'
        : item.status === 'cancelled' || item.status === 'waiting'
          ? 'muted'
          : 'accent';
  return (
    <li className={`upload upload--${item.status}`} data-testid="upload-item" data-status={item.status}>
      <div className="upload__main">
        <div className="upload__line">
          <span className="upload__name" title={name}>
            {item.job ? <Link to={`/jobs/${item.job.id}`}>{name}</Link> : name}
          </span>
          <span className="upload__size">{formatBytes(item.file.size)}</span>
        </div>
        <ProgressBar
          size="sm"
          tone={tone}
          value={
            item.status === 'waiting' || item.status === 'processing'
              ? null
              : item.status === 'uploading'
                ? fraction
                : 1
          }
          label={`Upload of ${name}`}
        />
        <p
          className={item.status === 'error' ? 'upload__status upload__status--error' : 'upload__status'}
          role={item.status === 'error' ? 'alert' : undefined}
        >
          {item.status === 'uploading'
            ? `Uploading ${Math.floor(fraction * 100)}% · ${formatBytes(item.loaded)} of ${formatBytes(item.total)}${item.resumed ? ' · resumed' : ''}`
            : item.status === 'error'
              ? item.error
              : STATUS_TEXT[item.status]}
          {item.status === 'done' && item.job && (
            <>
              {' · '}
              <Link to={`/jobs/${item.job.id}`}>Open</Link>
            </>
          )}
        </p>
      </div>
      <div className="upload__actions">
        {isFinished(item) ? (
          <>
            {(item.status === 'error' || item.status === 'cancelled') && (
              <Button
                size="sm"
                variant="ghost"
                icon="retry"
                aria-label={`Retry upload of ${name}`}
                title="Retry"
                onClick={() => onRetry(item.id)}
              />
            )}
            <Button
              size="sm"
              variant="ghost"
              icon="x"
              aria-label={`Dismiss ${name}`}
              title="Dismiss"
              onClick={() => onDismiss(item.id)}
            />
          </>
        ) : (
          <Button
            size="sm"
            variant="ghost"
            icon="x"
            aria-label={`Cancel upload of ${name}`}
            title="Cancel upload"
            onClick={() => onCancel(item.id)}
          />
        )}
        {item.status === 'done' && <Icon name="check" className="upload__done" label="Uploaded" />}
      </div>
    </li>
  );
}
