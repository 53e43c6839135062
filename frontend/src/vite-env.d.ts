/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Origin of the API when it is not the page's own (default: same origin). */
  readonly VITE_API_BASE_URL?: string;
  /** How often running jobs are re-fetched, in milliseconds (default 1500). */
  readonly VITE_POLL_INTERVAL_MS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
