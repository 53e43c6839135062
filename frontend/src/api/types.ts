/** Friendly names for the generated schema types: import these, not schema.d.ts. */
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type Job = Schemas['JobRead'];
export type JobPage = Schemas['JobPage'];
export type JobStatus = Job['status'];
export type Task = Job['task'];
export type Transcript = Schemas['TranscriptRead'];
export type Segment = Schemas['SegmentRead'];
export type Word = Schemas['WordRead'];
export type SegmentEdit = Schemas['SegmentEdit'];
export type SegmentVersion = Schemas['SegmentVersionRead'];
export type SearchHit = Schemas['SearchHit'];
export type SearchPage = Schemas['SearchPage'];
export type Share = Schemas['ShareRead'];
export type ShareCreate = Schemas['ShareCreate'];
export type ShareCreated = Schemas['ShareCreated'];
export type SharedTranscript = Schemas['SharedTranscript'];
export type SharedSegment = Schemas['SharedSegment'];
export type ExportFormat = paths['/api/v1/jobs/{job_id}/transcript.{fmt}']['get']['parameters']['path']['fmt'];
export type JobListQuery = NonNullable<paths['/api/v1/jobs']['get']['parameters']['query']>;

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled'];
export const EXPORT_FORMATS: readonly ExportFormat[] = ['txt', 'srt', 'vtt', 'json', 'tsv', 'docx'];

/** Options sent with a new job (multipart form fields of `POST /api/v1/jobs`). */
export interface JobOptions {
  /** Catalog model name; '' lets the server choose its default. */
  model: string;
  /** ISO 639-1 code or 'auto'. */
  language: string;
  task: Task;
  word_timestamps: boolean;
  vad: boolean;
  initial_prompt: string;
}

// -- accounts ----------------------------------------------------------------------------
export type TokenPair = Schemas['TokenPair'];
export type Me = Schemas['Me'];
export type Credentials = Schemas['Credentials'];
export type Role = 'user' | 'admin';
export type ApiKey = Schemas['ApiKeyRead'];
export type ApiKeyCreate = Schemas['ApiKeyCreate'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type User = Schemas['UserRead'];
export type UserCreate = Schemas['UserCreate'];
export type UserUpdate = Schemas['UserUpdate'];
export type AppSettings = Schemas['AppSettingsRead'];
export type RegistrationMode = AppSettings['registration'];
export type InviteCreate = Schemas['InviteCreate'];
export type InviteCreated = Schemas['InviteCreated'];

// -- administration ----------------------------------------------------------------------
export type Stats = Schemas['StatsRead'];
export type Quota = Schemas['QuotaRead'];
export type AuditEvent = Schemas['AuditEventRead'];
export type AuditPage = Schemas['AuditPage'];
export type AuditQuery = NonNullable<paths['/api/v1/admin/audit']['get']['parameters']['query']>;
export type Backup = Schemas['BackupRead'];
export type Worker = Schemas['WorkerRead'];
