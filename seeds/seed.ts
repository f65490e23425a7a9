import { loadConfig } from '@jiaxiao/common';
import { openDatabase } from '@jiaxiao/db';
import { seedDemo } from './demo.seed';

/** `npm run seed`: migrates, then loads the demo data (idempotent). */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await database.migrate();
    const result = await seedDemo(database.db);
    console.log(`demo data ${result.created ? 'loaded' : 'already present; checked'} (school year ${result.schoolYear})`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
