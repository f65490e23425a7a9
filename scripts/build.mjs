// Compiles apps/, libs/ and seeds/ to dist/ with swc (about a second), rewriting the
// @jiaxiao/* path aliases to relative imports so plain `node` runs the output.
// Type checking is `npm run typecheck`; this step only strips types.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, writeFile, cp } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const sources = ['apps', 'libs', 'seeds', 'bench'];

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

await rm(out, { recursive: true, force: true });
const jobs = [];
for (const source of sources) {
  for await (const file of walk(join(root, source))) {
    const rel = relative(root, file);
    if (rel.endsWith('.ts') && !rel.endsWith('.spec.ts') && !rel.endsWith('.d.ts')) {
      jobs.push(compile(file, rel));
    } else if (rel.endsWith('.sql') || rel.endsWith('.json')) {
      jobs.push(copy(file, rel));
    }
  }
}
await Promise.all(jobs);
console.log(`built ${jobs.length} files into dist/`);

async function compile(file, rel) {
  const { code, map } = await transformFile(file, {
    sourceMaps: true,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
      baseUrl: root,
      paths: {
        '@jiaxiao/*': ['libs/*/src'],
      },
    },
  });
  const target = join(out, rel.replace(/\.ts$/, '.js'));
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${code}\n//# sourceMappingURL=${target.split('/').pop()}.map`);
  await writeFile(`${target}.map`, map);
}

async function copy(file, rel) {
  const target = join(out, rel);
  await mkdir(dirname(target), { recursive: true });
  await cp(file, target);
}
