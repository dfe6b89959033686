// Worker thread entry for test/surveys/validation-pool.test.ts: loads the TypeScript worker
// (validation-worker.entry.ts) through tsx, since a worker does not inherit vitest's loader.
import { tsImport } from 'tsx/esm/api';

await tsImport('./validation-worker.entry.ts', import.meta.url);
