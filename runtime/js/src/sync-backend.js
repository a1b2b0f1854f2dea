// Sync backend: nothing can pause. An import returning a Promise is an error, reported by name
// instead of letting a Promise object be converted to a number.

import { AsyncifyImportError } from './errors.js';
import { RuntimeBase } from './runtime-base.js';
import { isThenable } from './values.js';

export class SyncRuntime extends RuntimeBase {
  constructor(info, options, log, reason) {
    super(info, options, log);
    this.reason = reason;
  }

  wrapImport(key, fn) {
    const runtime = this;
    return function syncImport(...args) {
      const result = runtime.invokeImport(fn, args);
      if (isThenable(result)) {
        Promise.resolve(result).catch(() => {});
        throw new AsyncifyImportError(`import "${key}" returned a Promise, but ${runtime.reason}`);
      }
      return result;
    };
  }

  async execute(call) {
    return call.fn(...call.args);
  }
}
