import { useEffect } from 'react';
import { AccessPanel, UsersPanel } from '@/features/admin';
import { useMe } from '@/features/auth';

export function AdminRoute() {
  const me = useMe();
  useEffect(() => {
    document.title = 'Administration · Whisper Transcriber';
  }, []);
  return (
    <div className="page">
      <h1 className="page__title">Administration</h1>
      <UsersPanel currentUserId={me.data?.id} />
      <AccessPanel />
    </div>
  );
}
