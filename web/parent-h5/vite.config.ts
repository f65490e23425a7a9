import { VantResolver } from '@vant/auto-import-resolver';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

// Served by parent-api at /h5/ (same origin as the REST API).
export default defineConfig({
  base: '/h5/',
  plugins: [vue(), Components({ resolvers: [VantResolver()], dts: false })],
  build: { target: 'es2020', assetsDir: 'assets', rolldownOptions: { checks: { pluginTimings: false } }, chunkSizeWarningLimit: 600 },
});
