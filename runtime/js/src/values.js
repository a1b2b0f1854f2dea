// Small value helpers shared by the backends.

/** True for anything `await` would treat as a Promise. */
export function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof value.then === 'function';
}

/**
 * `false` converts to 0 for i32/f32/f64 and to 0n for i64 (ToBigInt(false) is 0n), so it is a
 * correct placeholder for any scalar result when the import's type is unknown.
 */
const UNKNOWN_PLACEHOLDER = false;

function zeroOf(type) {
  switch (type) {
    case 'i64': return 0n;
    case 'i32': case 'f32': case 'f64': return 0;
    case 'ref': return null;
    default: return UNKNOWN_PLACEHOLDER;
  }
}

/**
 * The value an import returns while the stack unwinds; the module ignores it, but the JS API
 * still converts it to the import's result type, so it must convert without throwing.
 * @param {string[]|null} results result types, or null when unknown
 */
export function placeholderResult(results) {
  if (results === null) return UNKNOWN_PLACEHOLDER;
  if (results.length === 0) return undefined;
  if (results.length === 1) return zeroOf(results[0]);
  return results.map(zeroOf);
}
