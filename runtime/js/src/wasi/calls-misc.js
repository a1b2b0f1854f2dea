// Arguments, environment, clocks, randomness, process control, scheduling and sockets.
import { CLOCKID, ERRNO, SIGNAL_MAX } from './constants.js';
import { WASIExit } from './errors.js';

const { SUCCESS } = ERRNO;

/** Writes a list of NUL-terminated strings: pointers at `ptrs`, bytes at `buf`. */
function writeStrings(mem, list, ptrs, buf) {
  let at = buf;
  list.forEach((bytes, i) => {
    mem.u32(ptrs + i * 4, at);
    mem.copyIn(at, bytes);
    mem.u8(at + bytes.length, 0);
    at += bytes.length + 1;
  });
  return SUCCESS;
}

function writeSizes(mem, list, countPtr, sizePtr) {
  mem.u32(countPtr, list.length);
  mem.u32(sizePtr, list.reduce((n, s) => n + s.length + 1, 0));
  return SUCCESS;
}

const hasPerformance = typeof performance !== 'undefined';
const monotonicNs = () => (hasPerformance ? BigInt(Math.round(performance.now() * 1e6)) : BigInt(Date.now()) * 1_000_000n);
const realtimeNs = () => (hasPerformance && performance.timeOrigin
  ? BigInt(Math.round(performance.timeOrigin * 1e3)) * 1000n + monotonicNs()
  : BigInt(Date.now()) * 1_000_000n);
const cpuNs = () => {
  const usage = globalThis.process?.cpuUsage?.();
  return usage ? BigInt(usage.user + usage.system) * 1000n : monotonicNs();
};

/** The current value of a clock in nanoseconds, or undefined for an unknown clock. */
export function clockNow(id) {
  switch (id) {
    case CLOCKID.REALTIME: return realtimeNs();
    case CLOCKID.MONOTONIC: return monotonicNs();
    case CLOCKID.PROCESS_CPUTIME_ID:
    case CLOCKID.THREAD_CPUTIME_ID: return cpuNs();
    default: return undefined;
  }
}

const CLOCK_RESOLUTION = [1_000_000n, 1_000n, 1_000n, 1_000n]; // realtime is Date-backed at worst

export function miscCalls({ mem, fds, args, env, yieldToHost }) {
  return {
    args_get: (ptrs, buf) => writeStrings(mem, args, ptrs, buf),
    args_sizes_get: (countPtr, sizePtr) => writeSizes(mem, args, countPtr, sizePtr),
    environ_get: (ptrs, buf) => writeStrings(mem, env, ptrs, buf),
    environ_sizes_get: (countPtr, sizePtr) => writeSizes(mem, env, countPtr, sizePtr),

    clock_res_get(id, ptr) {
      if (clockNow(id) === undefined) return ERRNO.EINVAL;
      mem.u64(ptr, CLOCK_RESOLUTION[id]);
      return SUCCESS;
    },

    clock_time_get(id, precision, ptr) {
      const now = clockNow(id);
      if (now === undefined) return ERRNO.EINVAL;
      mem.u64(ptr, now);
      return SUCCESS;
    },

    random_get(ptr, len) {
      // getRandomValues fills at most 64 KiB per call and refuses shared memory views.
      for (let at = 0; at < len; at += 65536) {
        const chunk = new Uint8Array(Math.min(65536, len - at));
        globalThis.crypto.getRandomValues(chunk);
        mem.copyIn(ptr + at, chunk);
      }
      return SUCCESS;
    },

    proc_exit(code) { throw new WASIExit(code); },

    proc_raise(signal) { return signal > SIGNAL_MAX ? ERRNO.EINVAL : ERRNO.ENOSYS; },

    // Gives the host's event loop a turn: with async I/O this is where other work gets to run.
    sched_yield: () => yieldToHost().then(() => SUCCESS),

    // No socket is ever handed to the guest, so every descriptor is "not a socket".
    sock_accept(fd) { fds.get(fd); return ERRNO.ENOTSOCK; },
    sock_recv(fd) { fds.get(fd); return ERRNO.ENOTSOCK; },
    sock_send(fd) { fds.get(fd); return ERRNO.ENOTSOCK; },
    sock_shutdown(fd) { fds.get(fd); return ERRNO.ENOTSOCK; },
  };
}
