export { api, apiUrl, unwrap } from './client';
export {
  setTokenGetter,
  setUnauthorizedHandler,
  authHeaders,
  announceToken,
  onTokenRenewed,
  authFetch,
  currentToken,
  refreshAfterUnauthorized,
  type TokenGetter,
  type UnauthorizedHandler,
} from './auth';
export { ApiError, NetworkError, errorMessage, isNotFound, retryAfterSeconds } from './errors';
export {
  uploadJob,
  uploadMetadata,
  unfinishedUploads,
  forgetUnfinishedUpload,
  CHUNK_BYTES,
  type UploadProgress,
  type UploadCallbacks,
  type UploadedJob,
  type UnfinishedUpload,
} from './upload';
export { downloadTranscript } from './download';
export { adminMediaUrl, backupUrl, mediaUrl, transcriptFileUrl } from './urls';
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
  type UploadProgressData,
  type SocketFactory,
  type SocketLike,
} from './live';
