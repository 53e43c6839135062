export { api, apiUrl, unwrap } from './client';
export { setTokenGetter, authHeaders, type TokenGetter } from './auth';
export { ApiError, NetworkError, errorMessage, isNotFound } from './errors';
export { uploadJob, jobFormFields, type UploadProgress } from './upload';
export { downloadTranscript } from './download';
export { mediaUrl, transcriptFileUrl } from './urls';
export * from './types';
