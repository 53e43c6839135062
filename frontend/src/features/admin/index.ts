export { UsersPanel } from './components/users-panel';
export { AccessPanel } from './components/access-panel';
export { AdminJobsPanel, DeleteJobButton } from './components/jobs-panel';
export { AuditPanel } from './components/audit-panel';
export { BackupsPanel } from './components/backups-panel';
export { WorkersPanel } from './components/workers-panel';
export { AdminError } from './components/admin-error';
export { useAdminJob, useAdminTranscript } from './api/jobs';
export { inviteLink } from './lib/invite';
