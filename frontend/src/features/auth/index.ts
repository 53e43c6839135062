export { AuthProvider } from './components/auth-provider';
export { LoginPage, RegisterPage, SetupPage } from './components/auth-pages';
export { PublicOnly, RequireAdmin, RequireAuth } from './components/guards';
export { UserMenu, type UserMenuLink } from './components/user-menu';
export { meKey, useMe } from './api/auth';
export { useSession } from './lib/use-session';
export { Session, refreshDelayMs, REFRESH_KEY, type Tokens, type SessionDeps } from './lib/session';
