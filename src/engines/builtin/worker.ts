import { parentPort } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { generateLoad } from './load-generator.js';
import type { ParentMessage, WorkerEvent } from './protocol.js';

/** Worker thread entry: one 'start' message in, progress/measure events and one 'done' or 'error' out. */
const port = parentPort;
if (!port) throw new Error('the builtin engine worker must run in a worker thread');

const post = (e: WorkerEvent): void => port.postMessage(e);

port.once('message', (msg: ParentMessage) => {
  generateLoad(msg.plan, post).then(
    (result) => post({ event: 'done', result }),
    (e: unknown) => post({ event: 'error', message: errorMessage(e) }),
  );
});
