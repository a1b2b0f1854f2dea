// Minimal assertions usable both under node:test and in a browser page.

function show(value) {
  return typeof value === 'bigint' ? `${value}n` : JSON.stringify(value) ?? String(value);
}

export function equal(actual, expected, what = 'value') {
  if (!Object.is(actual, expected)) {
    throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function deepEqual(actual, expected, what = 'value') {
  const a = JSON.stringify(actual, (k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const e = JSON.stringify(expected, (k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

export function ok(condition, what) {
  if (!condition) throw new Error(`${what}: not true`);
}

/** Awaits `promiseOrFn` and checks it fails with `ErrorClass` (and a message matching `pattern`). */
export async function rejects(promiseOrFn, ErrorClass, pattern, what = 'call') {
  let error;
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`${what}: expected ${ErrorClass.name}, but it succeeded`);
  if (!(error instanceof ErrorClass)) {
    throw new Error(`${what}: expected ${ErrorClass.name}, got ${error?.name}: ${error?.message}`);
  }
  if (pattern && !pattern.test(error.message)) {
    throw new Error(`${what}: message ${show(error.message)} does not match ${pattern}`);
  }
  return error;
}
