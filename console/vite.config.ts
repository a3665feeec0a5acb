import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { resolve } from 'node:path'

// The console is served by anju at /console/ from the files embedded in the
// binary (internal/console); docs.html is the API reference at /docs.
export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: resolve(__dirname, '../internal/console/dist/app'),
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        index: resolve(__dirname, 'index.html'),
        docs: resolve(__dirname, 'docs.html'),
      },
    },
  },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
} as any)
