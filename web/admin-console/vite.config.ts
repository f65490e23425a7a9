import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

// Served by admin-api at /console/ (same origin as the REST API).
export default defineConfig({
  base: '/console/',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false })],
  build: { target: 'es2020', assetsDir: 'assets', rolldownOptions: { checks: { pluginTimings: false } } },
});
