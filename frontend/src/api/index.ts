export { api, apiUrl, unwrap } from './client';
export {
  setTokenGetter,
  setUnauthorizedHandler,
  authHeaders,
  authFetch,
  withAuthRetry,
  type TokenGetter,
  type UnauthorizedHandler,
} from './auth';
export { ApiError, NetworkError, errorMessage, isNotFound, retryAfterSeconds } from './errors';
export { uploadJob, jobFormFields, type UploadProgress } from './upload';
export { downloadTranscript } from './download';
export { mediaUrl, transcriptFileUrl } from './urls';
export * from './types';
