// Builds the web apps (web/parent-h5 → web/parent-h5/dist, web/admin-console → web/admin-console/dist)
// with Vite. An app is rebuilt only when its sources (its own folder and web/shared, the
// committed OpenAPI types and the socket event map included) hash differently from the stamp
// its last build left, so `npm start` stays quick. `--force` rebuilds anyway; names limit the apps.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const APPS = ['parent-h5', 'admin-console'];
const args = process.argv.slice(2);
const force = args.includes('--force');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const name of chosen) {
  if (!APPS.includes(name)) {
    console.error(`unknown web app ${name} (one of ${APPS.join(', ')})`);
    process.exit(2);
  }
}

const SKIP = new Set(['node_modules', 'dist']);
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (statSync(path).isFile()) yield path;
  }
}

function sourceHash(app) {
  const hash = createHash('sha256');
  const inputs = [
    join(root, 'web', app),
    join(root, 'web/shared'),
    join(root, 'libs/common/src/socket-events.ts'),
    join(root, 'package-lock.json'),
  ];
  for (const input of inputs) {
    const list = statSync(input).isDirectory() ? [...files(input)].sort() : [input];
    for (const file of list) {
      hash.update(relative(root, file));
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex');
}

for (const app of chosen.length > 0 ? chosen : APPS) {
  const dir = join(root, 'web', app);
  const stamp = join(dir, 'dist', '.source-hash');
  const hash = sourceHash(app);
  if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash && existsSync(join(dir, 'dist', 'index.html'))) {
    console.log(`web/${app}: up to date`);
    continue;
  }
  const started = Date.now();
  const vite = join(dirname(createRequire(join(dir, 'package.json')).resolve('vite/package.json')), 'bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, hash);
  console.log(`web/${app}: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
