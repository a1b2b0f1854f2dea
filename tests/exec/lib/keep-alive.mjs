// Keeps this test process's event loop busy until its tests are done. Node 20 can deadlock when
// the loop runs empty while V8 compiles in the background: the main thread waits for the
// compile job to finish, and the job waits for the main thread to collect garbage
// (nodejs/node#54918). Awaiting an asynchronous WebAssembly compile leaves the loop empty; a
// test file then hangs with no CPU use (seen twice in dispatch.test.mjs, with that stack).
import { after } from 'node:test';

const keepAlive = setInterval(() => {}, 1 << 30);
after(() => clearInterval(keepAlive));
