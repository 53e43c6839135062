import { backupUrl } from '@/api';
import { Button, EmptyState, ErrorAlert, Icon, Spinner, useToast } from '@/components';
import { formatBytes, formatDateTime, formatRelative, parseApiDate } from '@/lib/format';
import { useBackups, useCreateBackup } from '../api/system';
import { AdminError } from './admin-error';
import { Panel } from './panel';

/** Backups in the server's data folder: make one now, download any. */
export function BackupsPanel() {
  const backups = useBackups();
  const create = useCreateBackup();
  const notify = useToast();

  const makeBackup = () =>
    create.mutate(undefined, {
      onSuccess: (backup) =>
        notify({ title: `Backup ${backup.name} made`, description: formatBytes(backup.size_bytes), tone: 'success' }),
    });

  return (
    <Panel
      title="Backups"
      subtitle={
        <>
          Each backup is one archive with a consistent copy of the database, every recording and the signing key, kept
          in the <code>backups</code> folder of the server’s data directory. Making one is safe while people work. To
          restore, stop the server and run <code>transcriber backup restore FILE</code>.
        </>
      }
      aside={
        <Button variant="primary" icon="plus" busy={create.isPending} onClick={makeBackup}>
          Make a backup now
        </Button>
      }
    >
      {create.isPending && (
        <p className="small muted" role="status">
          Making the backup: this takes longer the more recordings there are.
        </p>
      )}
      {create.isError && <ErrorAlert title="No backup was made" error={create.error} />}
      {backups.isPending ? (
        <div className="loading-block">
          <Spinner label="Loading the backups" />
        </div>
      ) : backups.isError ? (
        <AdminError
          title="The backups could not be listed"
          error={backups.error}
          onRetry={() => void backups.refetch()}
        />
      ) : backups.data.length === 0 ? (
        <EmptyState icon="download" title="No backups yet">
          Make one now, or schedule <code>transcriber backup create</code> on the server.
        </EmptyState>
      ) : (
        <div className="data-table__wrap">
          <table className="data-table">
            <caption className="visually-hidden">Backups, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Archive</th>
                <th scope="col">Size</th>
                <th scope="col">Made</th>
                <th scope="col">
                  <span className="visually-hidden">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {backups.data.map((backup) => {
                const made = parseApiDate(backup.created_at);
                return (
                  <tr key={backup.name} data-testid="backup-row">
                    <th scope="row">
                      <code className="break-anywhere">{backup.name}</code>
                    </th>
                    <td>{formatBytes(backup.size_bytes)}</td>
                    <td title={formatDateTime(made)}>{formatRelative(made)}</td>
                    <td className="data-table__actions">
                      {/* A plain link: the browser sends the access cookie and streams the file to disk. */}
                      <a className="btn btn--secondary btn--sm" href={backupUrl(backup.name)} download={backup.name}>
                        <Icon name="download" size={15} />
                        Download<span className="visually-hidden"> {backup.name}</span>
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
