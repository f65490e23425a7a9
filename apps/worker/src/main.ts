import { runStandalone } from '../../launcher';
import { createWorker } from './worker.app';

void runStandalone('worker', async (infra) => ({ app: await createWorker(infra) }));
