export { api, apiUrl, unwrap } from './client';
export {
  setTokenGetter,
  setUnauthorizedHandler,
  authHeaders,
  authFetch,
  currentToken,
  refreshAfterUnauthorized,
  withAuthRetry,
  type TokenGetter,
  type UnauthorizedHandler,
} from './auth';
export { ApiError, NetworkError, errorMessage, isNotFound, retryAfterSeconds } from './errors';
export { uploadJob, jobFormFields, type UploadProgress } from './upload';
export { downloadTranscript } from './download';
export { mediaUrl, transcriptFileUrl } from './urls';
export * from './types';
export {
  LiveConnection,
  backoffMs,
  liveUrl,
  type LiveConnectionOptions,
  type LiveEvent,
  type LiveEventType,
  type LiveSegment,
  type LiveStatus,
  type SocketFactory,
  type SocketLike,
} from './live';
