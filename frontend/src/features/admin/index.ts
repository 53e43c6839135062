export { UsersPanel } from './components/users-panel';
export { AccessPanel } from './components/access-panel';
export { inviteLink } from './lib/invite';
