// WASI preview 1 numeric constants and struct layouts (wasi_snapshot_preview1).
// One table per concept so that the calls, the backends and the tests agree on every value.

/** errno names in wire order: ERRNO.ENOENT === 44. */
const ERRNO_NAMES = [
  'SUCCESS', 'E2BIG', 'EACCES', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EAGAIN',
  'EALREADY', 'EBADF', 'EBADMSG', 'EBUSY', 'ECANCELED', 'ECHILD', 'ECONNABORTED',
  'ECONNREFUSED', 'ECONNRESET', 'EDEADLK', 'EDESTADDRREQ', 'EDOM', 'EDQUOT', 'EEXIST',
  'EFAULT', 'EFBIG', 'EHOSTUNREACH', 'EIDRM', 'EILSEQ', 'EINPROGRESS', 'EINTR', 'EINVAL',
  'EIO', 'EISCONN', 'EISDIR', 'ELOOP', 'EMFILE', 'EMLINK', 'EMSGSIZE', 'EMULTIHOP',
  'ENAMETOOLONG', 'ENETDOWN', 'ENETRESET', 'ENETUNREACH', 'ENFILE', 'ENOBUFS', 'ENODEV',
  'ENOENT', 'ENOEXEC', 'ENOLCK', 'ENOLINK', 'ENOMEM', 'ENOMSG', 'ENOPROTOOPT', 'ENOSPC',
  'ENOSYS', 'ENOTCONN', 'ENOTDIR', 'ENOTEMPTY', 'ENOTRECOVERABLE', 'ENOTSOCK', 'ENOTSUP',
  'ENOTTY', 'ENXIO', 'EOVERFLOW', 'EOWNERDEAD', 'EPERM', 'EPIPE', 'EPROTO',
  'EPROTONOSUPPORT', 'EPROTOTYPE', 'ERANGE', 'EROFS', 'ESPIPE', 'ESRCH', 'ESTALE',
  'ETIMEDOUT', 'ETXTBSY', 'EXDEV', 'ENOTCAPABLE',
];
export const ERRNO = Object.freeze(Object.fromEntries(ERRNO_NAMES.map((n, i) => [n, i])));
export const errnoName = (n) => ERRNO_NAMES[n] ?? `errno ${n}`;

export const FILETYPE = Object.freeze({
  UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4,
  SOCKET_DGRAM: 5, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7,
});

// Rights are 64-bit; bit positions from the witx definition.
const RIGHT_NAMES = [
  'FD_DATASYNC', 'FD_READ', 'FD_SEEK', 'FD_FDSTAT_SET_FLAGS', 'FD_SYNC', 'FD_TELL', 'FD_WRITE',
  'FD_ADVISE', 'FD_ALLOCATE', 'PATH_CREATE_DIRECTORY', 'PATH_CREATE_FILE', 'PATH_LINK_SOURCE',
  'PATH_LINK_TARGET', 'PATH_OPEN', 'FD_READDIR', 'PATH_READLINK', 'PATH_RENAME_SOURCE',
  'PATH_RENAME_TARGET', 'PATH_FILESTAT_GET', 'PATH_FILESTAT_SET_SIZE', 'PATH_FILESTAT_SET_TIMES',
  'FD_FILESTAT_GET', 'FD_FILESTAT_SET_SIZE', 'FD_FILESTAT_SET_TIMES', 'PATH_SYMLINK',
  'PATH_REMOVE_DIRECTORY', 'PATH_UNLINK_FILE', 'POLL_FD_READWRITE', 'SOCK_SHUTDOWN', 'SOCK_ACCEPT',
];
export const RIGHTS = Object.freeze(Object.fromEntries(RIGHT_NAMES.map((n, i) => [n, 1n << BigInt(i)])));
const all = (...names) => names.reduce((acc, n) => acc | RIGHTS[n], 0n);

export const RIGHTS_ALL = (1n << BigInt(RIGHT_NAMES.length)) - 1n;
/** What a regular file may ever be granted. */
export const RIGHTS_FILE = all('FD_DATASYNC', 'FD_READ', 'FD_SEEK', 'FD_FDSTAT_SET_FLAGS', 'FD_SYNC',
  'FD_TELL', 'FD_WRITE', 'FD_ADVISE', 'FD_ALLOCATE', 'FD_FILESTAT_GET', 'FD_FILESTAT_SET_SIZE',
  'FD_FILESTAT_SET_TIMES', 'POLL_FD_READWRITE');
/** What a directory may ever be granted (as base rights). */
export const RIGHTS_DIR = all('FD_FDSTAT_SET_FLAGS', 'FD_SYNC', 'FD_ADVISE', 'PATH_CREATE_DIRECTORY',
  'PATH_CREATE_FILE', 'PATH_LINK_SOURCE', 'PATH_LINK_TARGET', 'PATH_OPEN', 'FD_READDIR',
  'PATH_READLINK', 'PATH_RENAME_SOURCE', 'PATH_RENAME_TARGET', 'PATH_FILESTAT_GET',
  'PATH_FILESTAT_SET_SIZE', 'PATH_FILESTAT_SET_TIMES', 'FD_FILESTAT_GET', 'FD_FILESTAT_SET_TIMES',
  'PATH_SYMLINK', 'PATH_REMOVE_DIRECTORY', 'PATH_UNLINK_FILE');
/** Stdio streams: no seeking, reading and writing are both allowed (the stream decides). */
export const RIGHTS_STDIO = all('FD_READ', 'FD_WRITE', 'FD_FDSTAT_SET_FLAGS', 'FD_FILESTAT_GET',
  'POLL_FD_READWRITE', 'FD_SYNC', 'FD_DATASYNC');

export const FDFLAGS = Object.freeze({ APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 });
export const OFLAGS = Object.freeze({ CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 });
export const LOOKUPFLAGS = Object.freeze({ SYMLINK_FOLLOW: 1 });
export const FSTFLAGS = Object.freeze({ ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 });
export const WHENCE = Object.freeze({ SET: 0, CUR: 1, END: 2 });
export const CLOCKID = Object.freeze({ REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 });
export const EVENTTYPE = Object.freeze({ CLOCK: 0, FD_READ: 1, FD_WRITE: 2 });
export const SUBCLOCKFLAGS = Object.freeze({ ABSTIME: 1 });
export const EVENTRWFLAGS = Object.freeze({ HANGUP: 1 });
export const PREOPENTYPE = Object.freeze({ DIR: 0 });
export const ADVICE_MAX = 5;
export const SIGNAL_MAX = 30;

/** Byte sizes and field offsets of the structs passed through linear memory. */
export const LAYOUT = Object.freeze({
  iovec: { size: 8, buf: 0, len: 4 },
  fdstat: { size: 24, filetype: 0, flags: 2, rightsBase: 8, rightsInheriting: 16 },
  filestat: { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, filesize: 32, atim: 40, mtim: 48, ctim: 56 },
  dirent: { size: 24, next: 0, ino: 8, namlen: 16, type: 20 },
  prestat: { size: 8, tag: 0, nameLen: 4 },
  subscription: { size: 48, userdata: 0, tag: 8, clockId: 16, timeout: 24, precision: 32, flags: 40, fd: 16 },
  event: { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 },
});
