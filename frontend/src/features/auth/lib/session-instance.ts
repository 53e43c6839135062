/** The app's one session, wired into the API layer (credentials and 401 → refresh). */
import { announceToken, setTokenGetter, setUnauthorizedHandler } from '@/api';
import { logout, refreshTokens } from '../api/auth';
import { Session } from './session';

export const session = new Session({ refresh: refreshTokens, logout, onAccessToken: announceToken });

setTokenGetter(session.accessToken);
setUnauthorizedHandler(() => session.refresh());
