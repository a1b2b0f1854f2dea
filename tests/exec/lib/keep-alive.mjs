// Keeps this test process's event loop busy while each of its tests runs. Node 20 can deadlock
// when the loop runs empty while V8 compiles in the background: the main thread waits for the
// compile job to finish, and the job waits for the main thread to collect garbage
// (nodejs/node#54918). Awaiting an asynchronous WebAssembly compile leaves the loop empty; a
// test file then hangs with no CPU use (seen twice in dispatch.test.mjs, with that stack).
// Per test, not per file: a file that registers no test (its fixtures missing) must still end.
import { afterEach, beforeEach } from 'node:test';

let keepAlive = null;
let running = 0;  // tests under way, subtests included
beforeEach(() => {
  if (running++ === 0) keepAlive = setInterval(() => {}, 1 << 30);
});
afterEach(() => {
  if (--running === 0) clearInterval(keepAlive);
});
