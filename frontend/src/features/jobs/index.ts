export { JobsPanel } from './components/jobs-panel';
export { JobSummary } from './components/job-summary';
export { JobList } from './components/job-list';
export { useJob, invalidateJobs, jobKeys } from './api/jobs';
export { isActive, STATUS_LABEL } from './utils';
export { applyJobEvent, useJobPace, type JobPace } from './api/live';
