// Expands scenarios x backends x fixture variants into runs, for both test runners.

import * as check from './check.mjs';

const VARIANTS_BY_BACKEND = {
  asyncify: (variants) => Object.keys(variants).filter((v) => v !== 'plain'),
  jspi: (variants) => ('plain' in variants ? ['plain'] : []),
  sync: (variants) => ('plain' in variants ? ['plain'] : []),
  auto: (variants) => Object.keys(variants),
};

// Engine features some fixtures need, probed with minimal modules.
const FEATURES = {
  // Two memories (Node 20 only behind --experimental-wasm-multi-memory).
  'multi-memory': new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 5, 2, 0, 0, 0, 0]),
  // One memory with the 64-bit limits flag (Node 20 only behind --experimental-wasm-memory64).
  memory64: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 4, 0]),
};

function missingFeature(scenario) {
  return (scenario.requires ?? []).find((f) => !WebAssembly.validate(FEATURES[f]));
}

/**
 * @returns {{title: string, scenario: object, backend: string, file?: string, skip?: string}[]}
 */
export function planRuns(manifest, scenarios, { jspi }) {
  const runs = [];
  for (const scenario of scenarios) {
    const fixture = manifest.fixtures[scenario.fixture];
    if (!fixture) throw new Error(`fixture "${scenario.fixture}" was not built`);
    for (const backend of scenario.backends) {
      for (const variant of VARIANTS_BY_BACKEND[backend](fixture.variants)) {
        const entry = fixture.variants[variant];
        const run = { title: `[${backend}/${variant}] ${scenario.name}`, scenario, backend };
        const missing = missingFeature(scenario);
        if (entry?.failed) run.failed = `the transform failed: ${entry.failed}`;
        else if (typeof entry === 'object') run.skip = entry.skipped;
        else if (missing) run.skip = `this engine lacks ${missing}`;
        else if (backend === 'jspi' && !jspi) run.skip = 'this engine lacks JSPI (WebAssembly.Suspending)';
        else run.file = entry;
        runs.push(run);
      }
    }
  }
  return runs;
}

/** Runs one planned run given the fixture bytes. */
export async function execute(run, runtime, bytes) {
  if (run.failed) throw new Error(run.failed);
  const load = async (imports, options = {}) => {
    const { instance } = await runtime.instantiate(bytes, imports, { backend: run.backend, ...options });
    return instance;
  };
  await run.scenario.run({ runtime, backend: run.backend, bytes, load, check });
}
