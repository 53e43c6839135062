export { ApiKeysPanel } from './components/api-keys-panel';
export { ChangePasswordForm } from './components/change-password-form';
export { UsagePanel } from './components/usage-panel';
