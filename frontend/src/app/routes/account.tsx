import { useEffect } from 'react';
import { ApiKeysPanel, ChangePasswordForm, UsagePanel } from '@/features/account';

export function ApiKeysRoute() {
  useEffect(() => {
    document.title = 'API keys · Whisper Transcriber';
  }, []);
  return (
    <div className="page">
      <ApiKeysPanel />
    </div>
  );
}

export function PasswordRoute() {
  useEffect(() => {
    document.title = 'Change password · Whisper Transcriber';
  }, []);
  return (
    <div className="page">
      <ChangePasswordForm />
    </div>
  );
}

export function UsageRoute() {
  useEffect(() => {
    document.title = 'Usage and quotas · Whisper Transcriber';
  }, []);
  return (
    <div className="page">
      <UsagePanel />
    </div>
  );
}
