export { UploadPanel } from './components/upload-panel';
export { UploadProvider } from './components/upload-provider';
export { UploadOptionsForm } from './components/upload-options-form';
export { useUploadQueue } from './api/upload-context';
export { applyUploadEvent } from './api/other-tabs';
