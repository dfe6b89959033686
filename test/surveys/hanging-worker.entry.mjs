// A validation worker that says it is ready and then never answers, for the timeout test in
// test/surveys/validation-pool.test.ts.
import { parentPort } from 'node:worker_threads';

parentPort.postMessage({ ready: true });
parentPort.on('message', () => {});
