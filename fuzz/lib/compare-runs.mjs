// Compares two runs of the same exports (see run-module.mjs); returns mismatch descriptions.
// Comparison stops at the first stack overflow on either side: the transformed code uses more
// stack per frame, so the depth at which it overflows legitimately differs.
// `unwindTraps`: the transform warned that unwinding out of a function returning a type without
// values traps. Such a function never returns normally, so the original ended that call by
// trapping or throwing, after whatever it did once the import came back; the transformed run
// traps at `unreachable` while unwinding, having done a prefix of it. Comparison stops there.
const UNWIND_TRAP = 'trap: unreachable (asyncify state 1 after the call)';
export function compareRuns(expected, got, { unwindTraps = false } = {}) {
  const out = [];
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const g = got[i];
    if (!g) { out.push(`export ${e.name}: missing in the transformed run`); break; }
    if (e.outcome === 'stack-overflow' || g.outcome === 'stack-overflow') break;
    if (e.name !== g.name) { out.push(`export order differs: ${e.name} vs ${g.name}`); break; }
    const el = e.log.join(' '), gl = g.log.join(' ');
    if (unwindTraps && g.outcome.startsWith(UNWIND_TRAP) && !e.outcome.startsWith('returned')) {
      if (!el.startsWith(gl)) out.push(`export ${e.name}: trapped while unwinding, but its log is not a prefix of the original's`);
      break;
    }
    if (e.outcome !== g.outcome) out.push(`export ${e.name}: expected ${e.outcome}, got ${g.outcome}`);
    if (el !== gl) out.push(`export ${e.name}: log differs\n      expected ${el.slice(0, 300)}\n      got      ${gl.slice(0, 300)}`);
    if (e.memory !== g.memory) out.push(`export ${e.name}: memory differs after the call`);
    const eg = JSON.stringify(e.globals), gg = JSON.stringify(g.globals);
    if (eg !== gg) out.push(`export ${e.name}: globals expected ${eg}, got ${gg}`);
    if (out.length) break;  // later exports follow from the first difference
  }
  return out;
}
