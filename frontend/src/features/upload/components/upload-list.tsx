import { Link } from 'react-router';
import { Button, Icon, ProgressBar } from '@/components';
import { formatBytes } from '@/lib/format';
import { useUploadQueue } from '../api/upload-context';
import { isFinished, type UploadItem } from '../api/upload-queue';

const STATUS_TEXT: Record<UploadItem['status'], string> = {
  waiting: 'Waiting',
  uploading: 'Uploading',
  processing: 'Checking the file…',
  done: 'Queued for transcription',
  error: 'Failed',
  cancelled: 'Cancelled',
};

export function UploadList() {
  const { items, cancel, retry, dismiss, clearFinished } = useUploadQueue();
  if (items.length === 0) return null;
  const finished = items.filter(isFinished).length;

  return (
    <div className="uploads">
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
    </div>
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
        : item.status === 'cancelled'
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
            ? `Uploading ${Math.floor(fraction * 100)}% · ${formatBytes(item.loaded)} of ${formatBytes(item.total)}`
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
