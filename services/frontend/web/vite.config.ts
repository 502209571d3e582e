/// <reference types="vitest/config" />
// Vite build for the made0 console. `npm run build` writes dist/, which the C++ frontend
// service serves on port 3000 together with /api. `npm run dev` proxies /api to
// MADE0_DEV_API (default: the mock server from dev/mock-api.mjs on 127.0.0.1:5174).
import { defineConfig } from 'vite';

const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const apiTarget = env.MADE0_DEV_API ?? 'http://127.0.0.1:5174';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
