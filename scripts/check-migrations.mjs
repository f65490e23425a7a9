// Fails when libs/db/src/schema and the committed migrations disagree: drizzle-kit generates
// against a copy of the migrations folder, and any new file means a migration is missing.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'jiaxiao-migrations-'));
const out = join(work, 'migrations');
cpSync(join(root, 'libs/db/migrations'), out, { recursive: true });
const config = join(root, `.drizzle-check-${process.pid}.config.js`);
writeFileSync(
  config,
  `module.exports = { dialect: 'postgresql', schema: ${JSON.stringify(join(root, 'libs/db/src/schema/index.ts'))}, out: ${JSON.stringify(out)} };\n`,
);
const before = new Set(readdirSync(out));
const result = spawnSync(process.execPath, [join(root, 'node_modules/drizzle-kit/bin.cjs'), 'generate', '--config', config], {
  cwd: root,
  encoding: 'utf8',
});
rmSync(config, { force: true });
const added = readdirSync(out).filter((f) => !before.has(f));
rmSync(work, { recursive: true, force: true });
if (result.status !== 0) {
  console.error(result.stdout, result.stderr);
  process.exit(1);
}
if (added.length > 0) {
  console.error(`The schema has changes with no migration (${added.join(', ')}). Run: npm run db:generate -- --name <change>`);
  process.exit(1);
}
console.log('migrations match the schema');
