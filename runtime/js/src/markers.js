// Per-import behaviour switches, attached to the import function itself so that the import
// object keeps its usual shape.

const REJECT_AS = Symbol('asyncify.rejectAs');
const REENTRANT = Symbol('asyncify.reentrant');

function marked(fn, symbol, value) {
  if (typeof fn !== 'function') throw new TypeError('expected an import function');
  const wrapper = function (...args) { return fn.apply(this, args); };
  Object.assign(wrapper, { [REJECT_AS]: fn[REJECT_AS], [REENTRANT]: fn[REENTRANT] });
  wrapper[symbol] = value;
  return wrapper;
}

/**
 * Marks an async import whose rejection is returned into wasm instead of rejecting the export.
 * @param {Function} fn the import
 * @param {*} value the value returned into wasm, or a function mapping the error to it
 */
export function rejectAs(fn, value) {
  return marked(fn, REJECT_AS, { value });
}

/**
 * Marks an async import whose pending Promise may call back into the instance's exports
 * (after an `await`). While such an import is pending, export calls run nested instead of
 * being queued behind the paused call.
 */
export function reentrant(fn) {
  return marked(fn, REENTRANT, true);
}

/** The value to return into wasm for a rejected import, or undefined when it must reject. */
export function rejectionValue(fn, error) {
  const spec = fn[REJECT_AS];
  if (!spec) return undefined;
  return { value: typeof spec.value === 'function' ? spec.value(error) : spec.value };
}

export function isReentrant(fn) {
  return fn[REENTRANT] === true;
}
