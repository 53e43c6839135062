import { errorMessage, type SegmentVersion } from '@/api';
import { Button, Spinner } from '@/components';
import { formatDateTime, parseApiDate } from '@/lib/format';
import { useRevertSegment, useSegmentVersions } from '../api/editing';

const KIND: Record<string, string> = {
  machine: 'Original (the model)',
  edit: 'Edited',
  revert: 'Back to the original',
};

function who(version: SegmentVersion, meId: string | undefined): string {
  if (version.kind === 'machine' || version.editor_id === null) return '';
  return version.editor_id === meId ? ' by you' : ' by another account';
}

/** The versions of one segment, oldest first, and the way back to the model's text. */
export function SegmentHistory({
  jobId,
  segmentId,
  meId,
  onClose,
}: {
  jobId: string;
  segmentId: number;
  meId?: string;
  onClose: () => void;
}) {
  const versions = useSegmentVersions(jobId, segmentId);
  const revert = useRevertSegment(jobId);
  const list = versions.data ?? [];
  const edited = list.some((version) => version.kind !== 'machine');
  const current = list.at(-1);
  const atOriginal = current?.kind !== 'edit';

  return (
    <div className="segment-history" role="region" aria-label="Versions of this segment">
      {versions.isPending ? (
        <Spinner size={16} label="Loading the versions" />
      ) : versions.isError ? (
        <p role="alert">{errorMessage(versions.error)}</p>
      ) : (
        <ol className="segment-history__list">
          {list.map((version, index) => (
            <li key={version.id ?? `machine-${index}`} data-testid="segment-version" data-kind={version.kind}>
              <span className="segment-history__kind">
                {KIND[version.kind] ?? version.kind}
                {who(version, meId)}
                {version.created_at ? ` · ${formatDateTime(parseApiDate(version.created_at))}` : ''}
                {index === list.length - 1 ? ' · current' : ''}
              </span>
              <span className="segment-history__text">
                {version.speaker && <span className="segment__speaker">{version.speaker}</span>}
                {version.text}
              </span>
            </li>
          ))}
        </ol>
      )}
      {!edited && versions.isSuccess && <p className="muted small">Nobody has edited this segment.</p>}
      {revert.isError && <p role="alert">{errorMessage(revert.error)}</p>}
      <div className="segment-history__actions">
        <Button size="sm" onClick={onClose}>
          Close
        </Button>
        {edited && (
          <Button
            size="sm"
            icon="retry"
            busy={revert.isPending}
            disabled={atOriginal}
            title={atOriginal ? 'This segment shows the original already' : undefined}
            onClick={() => revert.mutate(segmentId)}
          >
            Revert to the original
          </Button>
        )}
      </div>
    </div>
  );
}
