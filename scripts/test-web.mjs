// `npm run test:web`: builds the server and the web apps (skipped when unchanged), then runs the
// browser journeys in test-web/ with Jest. Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium)
// and a CJK font; screenshots go to artifacts/screenshots/.
import { spawnSync } from 'node:child_process';

const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['scripts/build-web.mjs']);
run(process.execPath, ['node_modules/jest/bin/jest.js', '-c', 'jest.web.config.js', ...process.argv.slice(2)], {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' '),
});
