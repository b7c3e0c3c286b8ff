/**
 * The web workbench: Svelte 5 + Vite, built into workbench/dist and served by `upkeep serve` at `/`.
 * `npm run build:workbench` builds it; `npm run dev:workbench` serves it with hot reload, proxying
 * the API to a running `upkeep serve` on 127.0.0.1:8080. The build also writes a `.br` and a
 * `.gz` beside each compressible file (precompress.ts), which the server sends when accepted.
 */
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));
// monaco-editor's package exports map every subpath to `*.js`, which hides its CSS files.
const monacoEsm = fileURLToPath(new URL('../node_modules/monaco-editor/esm/vs/', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [svelte(), precompress()],
  resolve: { alias: [{ find: /^monaco-css\//, replacement: monacoEsm }] },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco is one large lazily loaded chunk by design; the main bundle is checked by bench/workbench-bundle.ts.
    chunkSizeWarningLimit: 5000,
  },
  server: {
    fs: { allow: ['..'] },
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
