// Calls export `run` of MODULE with an env.sleep import and prints its result. With --pause,
// every sleep call unwinds and rewinds through the Asyncify exports (the unwind data goes in
// memory grown for it): the transformed stress modules must still compute the same result.
//   node run-paused.mjs MODULE.wasm [--pause]
import { readFileSync } from 'node:fs';

const [file, flag] = process.argv.slice(2);
const pause = flag === '--pause';
let ex;
let pauses = 0;
const DATA = 16;
const imports = {
  env: {
    sleep() {
      if (!pause) return;
      if (ex.asyncify_get_state() === 2) { ex.asyncify_stop_rewind(); return; }
      const view = new Int32Array(ex.memory.buffer, DATA, 2);
      view[0] = DATA + 8;
      view[1] = ex.memory.buffer.byteLength;
      ex.asyncify_start_unwind(DATA);
      pauses++;
    },
  },
};
const { instance } = await WebAssembly.instantiate(readFileSync(file), imports);
ex = instance.exports;
if (pause) ex.memory.grow(256);  // 16 MiB for the unwind data of 100,000 frames or locals
let result = ex.run();
while (pause && ex.asyncify_get_state() === 1) {
  ex.asyncify_stop_unwind();
  await Promise.resolve();
  ex.asyncify_start_rewind(DATA);
  result = ex.run();
}
console.log(`${result} pauses=${pauses}`);
