import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
/** Where the dev server forwards /api (override with ASSAY_API_URL). */
const apiTarget = process.env.ASSAY_API_URL ?? 'http://127.0.0.1:3000';

// The web UI lives in web/ but is built from the repository root
// (`npm run build:web`), so every path here is anchored to this file.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  css: {
    postcss: webRoot,
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
});
