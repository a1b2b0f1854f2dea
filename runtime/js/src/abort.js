// Cancelling a pause: an aborted AbortSignal settles the awaited Promise as a rejection with the
// signal's reason, so a Promise that never settles cannot hold a call (and the instance's
// queue) forever. The instance then recovers exactly as from a rejected import.

export function checkSignal(signal) {
  if (signal === undefined || signal === null) return null;
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new TypeError('options.signal must be an AbortSignal');
  }
  return signal;
}

// `promise`, or a rejection with signal.reason as soon as the signal aborts.
export function raceAbort(promise, signal) {
  if (!signal) return promise;
  if (signal.aborted) {
    Promise.resolve(promise).catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}
