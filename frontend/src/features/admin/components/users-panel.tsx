import { Fragment, useId, useState, type SyntheticEvent } from 'react';
import { errorMessage, type Role, type User } from '@/api';
import { Button, ConfirmDialog, ErrorAlert, Spinner, useToast } from '@/components';
import { formatDateTime, formatRelative, parseApiDate } from '@/lib/format';
import { useCreateUser, useDeleteUser, useUpdateUser, useUsers } from '../api/admin';
import { AdminError } from './admin-error';
import { UserDetails } from './user-quotas';

function NewUserForm() {
  const id = useId();
  const create = useCreateUser();
  const notify = useToast();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('user');

  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    create.mutate(
      { email: email.trim(), password, role },
      {
        onSuccess: (user) => {
          setEmail('');
          setPassword('');
          setRole('user');
          notify({
            title: `Account ${user.email} created`,
            description: 'Give them the password safely.',
            tone: 'success',
          });
        },
      },
    );
  };

  return (
    <form className="key-form" onSubmit={onSubmit} aria-label="Add a user">
      <div className="field key-form__name">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          className="input"
          type="email"
          required
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          className="input"
          type="password"
          required
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          className="input"
          value={role}
          onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'user')}
        >
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
      </div>
      <Button type="submit" variant="primary" icon="plus" busy={create.isPending} className="key-form__submit">
        Add user
      </Button>
      {create.isError && (
        <div className="key-form__error">
          <ErrorAlert title="The account was not created" error={create.error} />
        </div>
      )}
    </form>
  );
}

interface UserRowProps {
  user: User;
  isSelf: boolean;
  expanded: boolean;
  detailsId: string;
  onToggle: () => void;
  onDelete: (user: User) => void;
}

function UserRow({ user, isSelf, expanded, detailsId, onToggle, onDelete }: UserRowProps) {
  const update = useUpdateUser();
  const notify = useToast();
  const created = parseApiDate(user.created_at);
  const lastLogin = parseApiDate(user.last_login_at);
  const change = (changes: { role?: Role; is_active?: boolean }, done: string) =>
    update.mutate(
      { id: user.id, changes },
      {
        onSuccess: () => notify({ title: done, tone: 'success' }),
        onError: (error) =>
          notify({ title: 'The change was not saved', description: errorMessage(error), tone: 'danger' }),
      },
    );

  return (
    <tr data-testid="user-row" data-active={user.is_active}>
      <th scope="row">
        <span className="data-table__main break-anywhere">{user.email}</span>
        {isSelf && <span className="data-table__sub">You</span>}
      </th>
      <td>
        <select
          className="input input--sm"
          aria-label={`Role of ${user.email}`}
          value={user.role}
          disabled={isSelf || update.isPending}
          onChange={(e) => {
            const role: Role = e.target.value === 'admin' ? 'admin' : 'user';
            change({ role }, `${user.email} is now ${role === 'admin' ? 'an admin' : 'a user'}`);
          }}
        >
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td>
        <span className={`pill pill--${user.is_active ? 'active' : 'revoked'}`}>
          {user.is_active ? 'Active' : 'Disabled'}
        </span>
      </td>
      <td title={formatDateTime(created)}>{formatRelative(created)}</td>
      <td title={lastLogin ? formatDateTime(lastLogin) : undefined}>
        {lastLogin ? formatRelative(lastLogin) : 'Never'}
      </td>
      <td className="data-table__actions">
        <Button
          size="sm"
          variant="ghost"
          aria-expanded={expanded}
          aria-controls={expanded ? detailsId : undefined}
          onClick={onToggle}
        >
          Usage and quotas<span className="visually-hidden"> of {user.email}</span>
        </Button>
        {!isSelf && (
          <>
            <Button
              size="sm"
              variant="ghost"
              busy={update.isPending}
              onClick={() =>
                change(
                  { is_active: !user.is_active },
                  user.is_active ? `${user.email} is disabled` : `${user.email} is enabled again`,
                )
              }
            >
              {user.is_active ? 'Disable' : 'Enable'}
              <span className="visually-hidden"> {user.email}</span>
            </Button>
            <Button size="sm" variant="ghost" className="btn--danger-ghost" onClick={() => onDelete(user)}>
              Delete<span className="visually-hidden"> {user.email}</span>
            </Button>
          </>
        )}
      </td>
    </tr>
  );
}

export function UsersPanel({ currentUserId }: { currentUserId: string | undefined }) {
  const users = useUsers();
  const remove = useDeleteUser();
  const notify = useToast();
  const [deleting, setDeleting] = useState<User | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const detailsId = useId();

  const confirmDelete = () => {
    if (!deleting) return;
    remove.mutate(deleting.id, {
      onSuccess: () => notify({ title: `${deleting.email} deleted`, tone: 'success' }),
      onError: (error) =>
        notify({ title: 'The account was not deleted', description: errorMessage(error), tone: 'danger' }),
      onSettled: () => setDeleting(null),
    });
  };

  return (
    <section className="card" aria-labelledby="users-title">
      <header className="card__header">
        <div>
          <h2 id="users-title" className="card__title">
            Users
          </h2>
          <p className="card__subtitle">
            Everyone with an account on this server. Disabled accounts cannot sign in. Open “Usage and quotas” to see
            what someone uses and change their limits.
          </p>
        </div>
      </header>
      <div className="card__pad stack">
        <NewUserForm />
        {users.isPending ? (
          <div className="loading-block">
            <Spinner label="Loading the accounts" />
          </div>
        ) : users.isError ? (
          <AdminError
            title="The accounts could not be loaded"
            error={users.error}
            onRetry={() => void users.refetch()}
          />
        ) : (
          <div className="data-table__wrap">
            <table className="data-table">
              <caption className="visually-hidden">Accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.map((user) => (
                  <Fragment key={user.id}>
                    <UserRow
                      user={user}
                      isSelf={user.id === currentUserId}
                      expanded={openId === user.id}
                      detailsId={detailsId}
                      onToggle={() => setOpenId((open) => (open === user.id ? null : user.id))}
                      onDelete={setDeleting}
                    />
                    {openId === user.id && (
                      <tr className="data-table__detail">
                        <td colSpan={6}>
                          <UserDetails user={user} id={detailsId} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.email ?? 'this account'}?`}
        confirmLabel="Delete account"
        busy={remove.isPending}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(null)}
      >
        Their jobs, transcripts and recordings are deleted with the account. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}
