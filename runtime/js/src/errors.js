// Named errors so callers can tell runtime misuse apart from the program's own failures.

/** Base class of every error raised by the runtime itself. */
export class AsyncifyError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The unwind buffer could not hold the paused call stack. The instance has been reset. */
export class AsyncifyBufferOverflowError extends AsyncifyError {}

/** The instance was in an unexpected unwind/rewind state (e.g. an export called mid-unwind). */
export class AsyncifyStateError extends AsyncifyError {}

/**
 * An import paused where the module cannot pause: it returned a Promise although the module
 * was not instrumented for it, or a synchronous context (start function, unwrapped export,
 * backend 'sync') received a Promise.
 */
export class AsyncifyImportError extends AsyncifyError {}

/** Options or module shape do not allow the runtime to work safely (e.g. no unwind buffer). */
export class AsyncifyConfigError extends AsyncifyError {}
