// `npm test`: builds dist/ (the start-up smoke test runs it), then the whole Jest suite.
// PGlite under Jest needs --experimental-vm-modules for its dynamic WASM import.
import { spawnSync } from 'node:child_process';

const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['node_modules/jest/bin/jest.js', ...process.argv.slice(2)], {
  ...process.env,
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' '),
});
