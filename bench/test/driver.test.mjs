// Checks the pieces the benchmark numbers rest on: the Asyncify driver against modules
// instrumented by each available transformer (Binaryen always, ours when built), and the page
// store's file semantics. A broken driver would make every pause figure meaningless.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AsyncifyDriver, Ready } from '../lib/asyncify-driver.mjs';
import { runMeasured } from '../lib/measure.mjs';
import { PageStore, storeImports } from '../lib/page-store.mjs';
import { findOurs, transformers } from '../lib/tools.mjs';
import { buildPauseWorkload } from '../lib/workloads.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'bench-test-'));
after(() => rmSync(out, { recursive: true, force: true }));
const baseline = buildPauseWorkload(ROOT, join(ROOT, '.cache', 'bench'));

async function instantiate(path, pause) {
  const { instance } = await WebAssembly.instantiate(readFileSync(path), { env: { pause } });
  instance.exports._initialize();
  return instance;
}

// The reference: the untransformed module with an import that never pauses.
const plain = await instantiate(baseline, (x) => x + 1);
const expected = (depth, entry = 'bench_descend') => plain.exports[entry](depth);

for (const tool of transformers(findOurs(ROOT)).filter((t) => !t.reference)) {
  test(`driver pauses and resumes modules from ${tool.label}`, async () => {
    const path = join(out, `pause.${tool.id}.wasm`);
    const [cmd, args] = tool.command(baseline, path, ['env.pause']);
    const r = runMeasured(cmd, args);
    assert.ok(r.ok, r.stderr);

    let pauses = 0;
    const driver = new AsyncifyDriver(0, 0);
    const instance = await instantiate(path, driver.wrap((x) => { pauses++; return new Ready(x + 1); }));
    driver.dataAddress = instance.exports.bench_asyncify_area();
    driver.dataSize = instance.exports.bench_asyncify_area_size();
    driver.attach(instance);
    const saved = {};
    for (const entry of ['bench_descend', 'bench_descend_wide']) {
      saved[entry] = [];
      for (const depth of [0, 1, 7, 200]) {
        assert.equal(driver.callSync(entry, depth), expected(depth, entry));
        saved[entry].push(driver.lastSavedBytes);
      }
      // Every extra frame on the stack costs saved bytes.
      const s = saved[entry];
      for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1], `${entry}: saved ${s}`);
    }
    assert.equal(pauses, 8);
    // Wide frames keep their seven values: at least 28 bytes a frame.
    const perFrame = (entry) => (saved[entry][3] - saved[entry][2]) / 193;
    assert.ok(perFrame('bench_descend_wide') >= 28 && perFrame('bench_descend_wide') > perFrame('bench_descend'),
      JSON.stringify(saved));

    const asyncDriver = new AsyncifyDriver(0, 0);
    const asyncInstance = await instantiate(path, asyncDriver.wrap((x) => new Promise((res) => setTimeout(() => res(x + 1), 1))));
    asyncDriver.dataAddress = asyncInstance.exports.bench_asyncify_area();
    asyncDriver.dataSize = asyncInstance.exports.bench_asyncify_area_size();
    asyncDriver.attach(asyncInstance);
    assert.equal(await asyncDriver.call('bench_descend', 50), expected(50));
    // A pause that needs awaiting cannot be driven synchronously.
    assert.throws(() => asyncDriver.callSync('bench_descend', 3), /needs awaiting/);
  });
}

test('page store: writes across pages, short reads zero-fill, truncate drops the tail', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const store = new PageStore();
  const { sync, io } = storeImports(store, () => memory, 'sync');
  const heap = new Uint8Array(memory.buffer);
  const name = new TextEncoder().encode('db');
  heap.set(name, 0);
  assert.equal(sync.open(0, 2, 0), -1);  // absent and not created
  const fid = sync.open(0, 2, 1);
  assert.equal(sync.exists(0, 2), 1);
  for (let i = 0; i < 6000; i++) heap[100 + i] = i % 251;
  assert.equal(io.write(fid, 100, 6000, 3000n), 6000);  // spans pages 0..2
  assert.equal(io.size(fid, 8), 0);
  assert.equal(new DataView(memory.buffer).getBigInt64(8, true), 9000n);
  assert.equal(io.read(fid, 20000, 100, 2950n), 100);
  assert.deepEqual([...heap.subarray(20000, 20050)], new Array(50).fill(0));  // hole before the write
  assert.equal(heap[20050], 0);
  assert.equal(heap[20051], 1);
  assert.equal(io.read(fid, 30000, 100, 8950n), 50);  // short read at the end
  assert.equal(io.truncate(fid, 4000n), 0);
  assert.equal(io.size(fid, 8), 0);
  assert.equal(new DataView(memory.buffer).getBigInt64(8, true), 4000n);
  assert.equal(io.read(fid, 40000, 10, 4000n), 0);
  assert.equal(io.write(fid, 100, 10, 4090n), 10);  // re-grown: the truncated bytes must be gone
  assert.equal(io.read(fid, 40000, 90, 4000n), 90);
  assert.deepEqual([...heap.subarray(40000, 40090)], new Array(90).fill(0));
  assert.deepEqual(store.calls, { read: 4, write: 2, sync: 0, size: 2, truncate: 1 });
});
