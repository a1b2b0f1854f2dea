// Error values shared by the WASI calls and the backends.
import { ERRNO } from './constants.js';

/**
 * A file-system failure with a POSIX-style code ('ENOENT', ...). Backends throw these (Node's own
 * errors carry the same `code` field), and the calls turn them into WASI errno values.
 */
export class FsError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = 'FsError';
    this.code = code;
  }
}

/** Thrown through the guest's frames by proc_exit; WASI.start() turns it into a return value. */
export class WASIExit extends Error {
  constructor(code) {
    super(`exit with code ${code}`);
    this.name = 'WASIExit';
    this.code = code;
  }
}

// Host codes with no WASI name of their own.
const ALIASES = { EWOULDBLOCK: 'EAGAIN', EOPNOTSUPP: 'ENOTSUP', ENOTBLK: 'EINVAL', EUNKNOWN: 'EIO' };

/** The errno for a thrown value, or undefined when it is not a file-system error (a bug: rethrow). */
export function errnoOf(error) {
  const code = error && typeof error === 'object' ? error.code : undefined;
  if (typeof code !== 'string') return undefined;
  // Other POSIX-style codes become EIO; Node's own ERR_* codes are bugs, not I/O failures.
  return ERRNO[code] ?? ERRNO[ALIASES[code]] ?? (/^E[A-Z0-9]+$/.test(code) ? ERRNO.EIO : undefined);
}
