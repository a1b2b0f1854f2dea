// JSPI backend: the engine suspends the wasm stack itself. Imports become
// `new WebAssembly.Suspending(fn)`, exports `WebAssembly.promising(fn)`; no transform and no
// unwind buffer are needed. Calls are still queued: paused calls share the shadow stack.

import { rejectionValue } from './markers.js';
import { RuntimeBase } from './runtime-base.js';
import { isThenable } from './values.js';
import { raceAbort } from './abort.js';

export function hasJspi() {
  return typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function';
}

export class JspiRuntime extends RuntimeBase {
  #promising = new Map();

  wrapImport(key, fn) {
    const runtime = this;
    return new WebAssembly.Suspending(function jspiImport(...args) {
      const result = runtime.invokeImport(fn, args);
      if (!isThenable(result)) return result;
      if (runtime.debug) runtime.log(`${key} suspends`);
      const settled = raceAbort(result, runtime.signal).catch((error) => {
        const mapped = rejectionValue(fn, error);
        if (!mapped) throw error;
        return mapped.value;
      });
      return runtime.trackReentrant(fn, settled);
    });
  }

  execute(call) {
    let promising = this.#promising.get(call.fn);
    if (!promising) {
      promising = WebAssembly.promising(call.fn);
      this.#promising.set(call.fn, promising);
    }
    return promising(...call.args);
  }
}
