export { TranscriptPanel } from './components/transcript-panel';
export { TranscriptView } from './components/transcript-view';
export { SharePanel } from './components/share-panel';
export { SharedTranscriptPage } from './components/shared-transcript-page';
export { transcriptKeys } from './api/transcripts';
export { applyTranscriptEvent } from './api/live';
export { ReadOnlyTranscript } from './components/read-only-transcript';
