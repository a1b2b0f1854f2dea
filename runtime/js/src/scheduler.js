// Orders export calls of one instance. A paused call's frames live in the unwind buffer and on
// the module's shadow stack (below `__stack_pointer`), so calls must complete in LIFO order:
// - a call made while wasm is running (from inside an import) is nested and starts at once;
// - a call made while a reentrant-marked import is pending is nested as well;
// - any other call made while a call is in progress waits in a FIFO queue;
// - a paused call resumes only when every call started after it has finished.

export class CallScheduler {
  #active = [];
  #queue = [];
  #topWaiters = new Map();

  /**
   * @param {{canNest(): boolean, onBusy(): void, onIdle(): void}} hooks
   */
  constructor(hooks) {
    this.hooks = hooks;
  }

  get busy() {
    return this.#active.length > 0;
  }

  isTop(call) {
    return this.#active[this.#active.length - 1] === call;
  }

  /**
   * @param {object} call record; `run(call)` performs it and returns a Promise
   * @param {(call: object) => Promise<*>} run
   */
  submit(call, run) {
    if (this.#active.length === 0 || this.hooks.canNest()) return this.#start(call, run);
    return new Promise((resolve, reject) => this.#queue.push({ call, run, resolve, reject }));
  }

  /** Resolves once every call started after `call` has finished. */
  untilTop(call) {
    if (this.isTop(call)) return Promise.resolve();
    return new Promise((resolve) => this.#topWaiters.set(call, resolve));
  }

  #start(call, run) {
    if (this.#active.length === 0) this.hooks.onBusy();
    this.#active.push(call);
    let promise;
    try {
      promise = Promise.resolve(run(call));
    } catch (error) {
      promise = Promise.reject(error);
    }
    return promise.then(
      (value) => { this.#finish(call); return value; },
      (error) => { this.#finish(call); throw error; });
  }

  #finish(call) {
    const index = this.#active.lastIndexOf(call);
    if (index >= 0) this.#active.splice(index, 1);
    const top = this.#active[this.#active.length - 1];
    const wake = top && this.#topWaiters.get(top);
    if (wake) {
      this.#topWaiters.delete(top);
      wake();
    }
    if (this.#active.length > 0) return;
    this.hooks.onIdle();
    const next = this.#queue.shift();
    if (next) this.#start(next.call, next.run).then(next.resolve, next.reject);
  }
}
