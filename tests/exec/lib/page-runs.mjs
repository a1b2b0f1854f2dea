// The page side of runs in Chromium (chromium.mjs): each case runs its original module
// synchronously and its transformed module through the ABI host, making the same export calls,
// and reports what each printed and returned. Everything here must be structured-cloneable on
// the way out: values are numbers or strings, errors become 'throws <what>'.
import { rejectingThirteen, standardImports } from './imports.mjs';
import { runAsync, runSync } from './run-modes.mjs';

// Import sets a case may name (functions cannot cross into the page).
const IMPORT_SETS = { standard: standardImports, rejectingThirteen };

function describe(error) {
  if (error instanceof WebAssembly.Exception) return 'a WebAssembly.Exception';
  if (error instanceof WebAssembly.RuntimeError) return `RuntimeError: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

// Calls each [export, ...args] in turn; records its result, or what it threw.
function callsInTurn(calls) {
  return async (call, io) => {
    for (const [name, ...args] of calls) {
      try {
        const result = await call(name, ...args);
        io.out.push(typeof result === 'bigint' ? `${result}n` : result);
      } catch (error) {
        io.out.push(`throws ${describe(error)}`);
      }
    }
  };
}

const bytesOf = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());

// Where the transformed run's memory first differs from the original's (-1: nowhere), ignoring
// pages the host added for its buffers.
function firstDifference(ours, original) {
  for (let k = 0; k < original.length; k++) if (ours[k] !== original[k]) return k;
  return -1;
}

// cases: [{ title, original, transformed (URLs), calls, imports (a key of IMPORT_SETS), host
// (AbiHost options) }].
export async function runCases(cases) {
  const results = [];
  for (const { title, original, transformed, calls, imports = 'standard', host = {} } of cases) {
    const options = { drive: callsInTurn(calls), makeImports: IMPORT_SETS[imports] };
    try {
      const sync = await runSync(await bytesOf(original), options);
      const paused = await runAsync(await bytesOf(transformed), { ...options, host });
      results.push({
        title, original: sync.out, ours: paused.out, unwinds: paused.unwinds,
        memoryDiffersAt: firstDifference(paused.memory, sync.memory),
      });
    } catch (error) {
      results.push({ title, error: String(error?.stack ?? error) });
    }
  }
  return results;
}
