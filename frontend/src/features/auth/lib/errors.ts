import { ApiError, errorMessage } from '@/api';

/** A sign-in failure as one readable sentence (with the wait of a 429). */
export function signInErrorMessage(error: unknown): string {
  const message = errorMessage(error);
  if (error instanceof ApiError && error.status === 429 && error.retryAfterS !== null) {
    const s = error.retryAfterS;
    return `${message} You can try again in ${s} second${s === 1 ? '' : 's'}.`;
  }
  return message;
}

/** Where to go after signing in: `?next=` when it is a path of this app, else home. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
