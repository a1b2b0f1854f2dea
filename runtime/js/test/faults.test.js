// Runtime faults that must end cleanly: a Promise that never settles, cancelled through an
// AbortSignal, and memory growth (failing and succeeding) while a call is paused. Runs on the
// Binaryen-built and the wasm-asyncify-built fixture.
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as check from './check.mjs';
import { instantiate } from '../index.js';

const fixture = (tool) => new URL(`../build/fixtures/${tool}/semantics.wasm`, import.meta.url);
const tools = ['binaryen', 'wasm-asyncify'].filter((tool) => existsSync(fixture(tool)));
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function environment(behaviour) {
  return {
    env: {
      get_i32: (x) => behaviour.get_i32(x),
      get_i64: async (x) => x, get_f64: async () => 0, callback: async (x) => x,
      unlisted: () => 0, log: () => {}, pause: () => {},
    },
  };
}

for (const tool of tools) {
  test(`${tool}: an aborted signal ends a pause that never settles; the instance stays usable`, async () => {
    const behaviour = { get_i32: () => new Promise(() => {}) };
    const controller = new AbortController();
    const { instance } = await instantiate(readFileSync(fixture(tool)), environment(behaviour),
      { signal: controller.signal });
    const stuck = instance.exports.add_async(1);
    await tick();
    const reason = new Error('cancelled by the user');
    controller.abort(reason);
    await check.rejects(stuck, Error, /cancelled by the user/, 'the export rejects with the reason');
    check.equal(instance.exports.asyncify_get_state(), 0, 'the state is normal again');
    // Later pauses on an aborted signal fail at once with the same reason, never hang.
    await check.rejects(instance.exports.add_async(1), Error, /cancelled by the user/, 'later pause');
  });

  test(`${tool}: a call after an aborted one works when it does not pause`, async () => {
    let pause = true;
    const behaviour = { get_i32: (x) => (pause ? new Promise(() => {}) : x + 1) };
    const controller = new AbortController();
    const { instance } = await instantiate(readFileSync(fixture(tool)), environment(behaviour),
      { signal: controller.signal });
    const stuck = instance.exports.add_async(5);
    await tick();
    controller.abort(new Error('stop'));
    await check.rejects(stuck, Error, /stop/, 'aborted');
    pause = false;
    check.equal(await instance.exports.add_async(1), 3, 'synchronous path afterwards');
  });

  test(`${tool}: memory growth while paused, failing and succeeding, does not disturb the resume`, async () => {
    let memory;
    const outcomes = [];
    const behaviour = {
      get_i32: async (x) => {
        await tick();
        try {
          memory.grow(65536);  // beyond what the engine allows: a RangeError
          outcomes.push('grew');
        } catch (error) {
          outcomes.push(error.constructor.name);
        }
        memory.grow(1);  // the buffer views must be taken again after this
        outcomes.push('grew by one');
        return x + 1;
      },
    };
    const { instance } = await instantiate(readFileSync(fixture(tool)), environment(behaviour));
    memory = instance.exports.memory;
    const before = memory.buffer.byteLength;
    check.equal(await instance.exports.add_async(1), 3, 'result after the growth');
    check.deepEqual(outcomes, ['RangeError', 'grew by one'], 'growth outcomes');
    check.equal(memory.buffer.byteLength, before + 65536, 'one page more');
    check.equal(await instance.exports.add_async(10), 21, 'a second call');
  });
}
