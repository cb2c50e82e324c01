import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The operations console, served by the interaction gateway under /console. `vite apps/console`
// serves it for development with the API proxied to a running gateway (TRACEPORT_GATEWAY_URL,
// http://127.0.0.1:8080 by default); the build goes to dist/, which the gateway serves.
const gateway = process.env['TRACEPORT_GATEWAY_URL'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every script is a file: the page's Content-Security-Policy allows no inline script.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/v1': gateway } },
});
