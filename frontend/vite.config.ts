/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API runs on 127.0.0.1:8000 (`transcriber serve`); in development Vite proxies to it,
// in production the API serves the built files itself (src/transcriber/webapp.py).
const apiTarget = process.env.TRANSCRIBER_API_URL ?? 'http://127.0.0.1:8000';
const proxy = {
  '/api': { target: apiTarget, changeOrigin: false, ws: true },
  '/healthz': { target: apiTarget },
  '/readyz': { target: apiTarget },
};

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { host: '127.0.0.1', port: 5173, proxy },
  preview: { host: '127.0.0.1', port: 4173, proxy },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    passWithNoTests: false,
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
    // user-event typing is slow on a busy 2-CPU machine; 5 s made unrelated tests flaky.
    testTimeout: 20_000,
    // Absolute API URLs in tests: Node's fetch does not resolve relative ones.
    env: { VITE_API_BASE_URL: 'http://api.test' },
  },
});
