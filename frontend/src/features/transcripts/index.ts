export { TranscriptPanel } from './components/transcript-panel';
export { TranscriptView } from './components/transcript-view';
export { transcriptKeys } from './api/transcripts';
export { applyTranscriptEvent } from './api/live';
