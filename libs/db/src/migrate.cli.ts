import { loadConfig } from '@jiaxiao/common';
import { openDatabase } from '@jiaxiao/db';

/** `npm run migrate`: applies the committed migrations (safe to run from several processes at once). */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await database.migrate();
    console.log(`migrations applied (${database.kind})`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
