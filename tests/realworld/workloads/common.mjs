// What the workloads share: the one JSON line each prints with its results (compared between
// the original module and the transformed ones), and the inputs' pseudo-random numbers.
import { createHash } from 'node:crypto';

export const digest = (bytes) => createHash('sha256').update(bytes).digest('hex');
export const report = (results, write = (line) => process.stdout.write(line)) => write(`${JSON.stringify(results)}\n`);

// A linear congruential generator: the same numbers on every run, computed in 32 bits exactly.
// It yields the state's upper 16 bits: its low bits repeat after a few steps.
export function numbers(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
}
