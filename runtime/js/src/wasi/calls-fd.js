// fd_* calls: operations on open descriptors.
import { ADVICE_MAX, ERRNO, FDFLAGS, FILETYPE, LAYOUT, RIGHTS, WHENCE } from './constants.js';
import { DirDescriptor, FileDescriptor, StreamDescriptor } from './descriptors.js';
import { FsError } from './errors.js';
import { splitPath } from './path.js';
import { utf8 } from './guest-memory.js';
import { timesFromFlags, writeFilestat } from './filestat.js';

const { SUCCESS } = ERRNO;
const R = RIGHTS;
const then = (value, fn) => (value && typeof value.then === 'function' ? value.then(fn) : fn(value));

function toPosition(offset) {
  const value = BigInt.asUintN(64, offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new FsError('EFBIG');
  return Number(value);
}

// Streams cannot seek (ESPIPE) and directories have no byte offset (EISDIR).
const notSeekable = (d) => (d instanceof DirDescriptor ? 'EISDIR' : 'ESPIPE');

export function fdCalls({ mem, fds }) {
  async function statOf(d) {
    if (d instanceof FileDescriptor) return d.handle.stat();
    if (d instanceof DirDescriptor) return d.backend.lstat(d.path);
    return { dev: 0n, ino: 0n, filetype: d.filetype, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
  }

  async function readFile(d, iovs, position) {
    const data = new Uint8Array(iovs.reduce((n, v) => n + v.len, 0));
    const count = await d.handle.read(data, position);
    return mem.scatter(iovs, data.subarray(0, count));
  }

  async function writeFile(d, data, position) {
    let done = 0;
    while (done < data.length) {
      const n = await d.handle.write(data.subarray(done), position + done);
      if (n === 0) throw new FsError('EIO');
      done += n;
    }
    return done;
  }

  return {
    fd_advise(fd, offset, len, advice) {
      const d = fds.get(fd, R.FD_ADVISE);
      if (advice > ADVICE_MAX) return ERRNO.EINVAL;
      if (d instanceof DirDescriptor) return ERRNO.EISDIR;
      if (d instanceof StreamDescriptor) return ERRNO.ESPIPE;
      return SUCCESS; // advice only; nothing to do
    },

    async fd_allocate(fd, offset, len) {
      const d = fds.getOf(fd, FileDescriptor, R.FD_ALLOCATE, 'ENODEV');
      const end = toPosition(offset) + toPosition(len);
      const { size } = await d.handle.stat();
      if (BigInt(end) > size) await d.handle.truncate(BigInt(end));
      return SUCCESS;
    },

    async fd_close(fd) {
      await fds.take(fd).close();
      return SUCCESS;
    },

    async fd_datasync(fd) {
      const d = fds.get(fd, R.FD_DATASYNC);
      if (d instanceof FileDescriptor) await d.handle.sync();
      return SUCCESS;
    },

    fd_fdstat_get(fd, ptr) {
      const d = fds.get(fd);
      const L = LAYOUT.fdstat;
      mem.bytes.fill(0, ptr, ptr + L.size);
      mem.u8(ptr + L.filetype, d.filetype);
      mem.u16(ptr + L.flags, d.flags);
      mem.u64(ptr + L.rightsBase, d.rightsBase);
      mem.u64(ptr + L.rightsInheriting, d.rightsInheriting);
      return SUCCESS;
    },

    fd_fdstat_set_flags(fd, flags) {
      const d = fds.get(fd, R.FD_FDSTAT_SET_FLAGS);
      // Synchronous-I/O flags cannot be switched on an open descriptor through the host APIs.
      if (flags & ~(FDFLAGS.APPEND | FDFLAGS.NONBLOCK)) return ERRNO.ENOTSUP;
      d.flags = flags;
      return SUCCESS;
    },

    fd_fdstat_set_rights(fd, base, inheriting) {
      const d = fds.get(fd);
      const b = BigInt.asUintN(64, base);
      const i = BigInt.asUintN(64, inheriting);
      if ((b & ~d.rightsBase) || (i & ~d.rightsInheriting)) return ERRNO.ENOTCAPABLE;
      d.rightsBase = b;
      d.rightsInheriting = i;
      return SUCCESS;
    },

    async fd_filestat_get(fd, ptr) {
      const d = fds.get(fd, R.FD_FILESTAT_GET);
      const stat = await statOf(d);
      writeFilestat(mem, ptr, stat);
      return SUCCESS;
    },

    async fd_filestat_set_size(fd, size) {
      const d = fds.getOf(fd, FileDescriptor, R.FD_FILESTAT_SET_SIZE, 'EINVAL');
      await d.handle.truncate(BigInt(toPosition(size)));
      return SUCCESS;
    },

    async fd_filestat_set_times(fd, atim, mtim, flags) {
      const d = fds.get(fd, R.FD_FILESTAT_SET_TIMES);
      const times = timesFromFlags(atim, mtim, flags);
      if (d instanceof FileDescriptor) await d.handle.setTimes(times.atim, times.mtim);
      else if (d instanceof DirDescriptor) await d.backend.setTimes(d.path, times.atim, times.mtim);
      return SUCCESS;
    },

    async fd_pread(fd, iovsPtr, iovsLen, offset, nreadPtr) {
      const d = fds.get(fd, R.FD_READ | R.FD_SEEK);
      if (!(d instanceof FileDescriptor)) return d instanceof DirDescriptor ? ERRNO.EISDIR : ERRNO.ESPIPE;
      const n = await readFile(d, mem.iovecs(iovsPtr, iovsLen), toPosition(offset));
      mem.u32(nreadPtr, n);
      return SUCCESS;
    },

    fd_prestat_get(fd, ptr) {
      const d = fds.get(fd);
      if (!(d instanceof DirDescriptor) || d.preopenName === null) return ERRNO.EBADF;
      mem.u32(ptr, 0); // tag = dir, padding zeroed
      mem.u32(ptr + LAYOUT.prestat.nameLen, utf8(d.preopenName).length);
      return SUCCESS;
    },

    fd_prestat_dir_name(fd, ptr, len) {
      const d = fds.get(fd);
      if (!(d instanceof DirDescriptor) || d.preopenName === null) return ERRNO.EBADF;
      const name = utf8(d.preopenName);
      if (len < name.length) return ERRNO.ENAMETOOLONG;
      mem.copyIn(ptr, name);
      return SUCCESS;
    },

    async fd_pwrite(fd, iovsPtr, iovsLen, offset, nwrittenPtr) {
      const d = fds.get(fd, R.FD_WRITE | R.FD_SEEK);
      if (!(d instanceof FileDescriptor)) return d instanceof DirDescriptor ? ERRNO.EISDIR : ERRNO.ESPIPE;
      const n = await writeFile(d, mem.gather(mem.iovecs(iovsPtr, iovsLen)), toPosition(offset));
      mem.u32(nwrittenPtr, n);
      return SUCCESS;
    },

    fd_read(fd, iovsPtr, iovsLen, nreadPtr) {
      const d = fds.get(fd, R.FD_READ);
      const iovs = mem.iovecs(iovsPtr, iovsLen);
      if (d instanceof StreamDescriptor) {
        if (!d.input) return ERRNO.EBADF;
        const wanted = iovs.reduce((n, v) => n + v.len, 0);
        // Stay synchronous when the stream answers synchronously: no unwinding needed then.
        return then(d.input.read(wanted), (chunk) => {
          mem.u32(nreadPtr, mem.scatter(iovs, chunk));
          return SUCCESS;
        });
      }
      if (!(d instanceof FileDescriptor)) return ERRNO.EISDIR;
      return readFile(d, iovs, d.position).then((n) => {
        d.position += n;
        mem.u32(nreadPtr, n);
        return SUCCESS;
      });
    },

    async fd_readdir(fd, buf, bufLen, cookie, bufusedPtr) {
      const d = fds.getOf(fd, DirDescriptor, R.FD_READDIR, 'ENOTDIR');
      const start = BigInt.asUintN(64, cookie);
      if (start === 0n || !d.entries) {
        const self = await d.backend.lstat(d.path);
        const parent = d.path === '' ? self : await d.backend.lstat(splitPath(d.path)[0]);
        d.entries = [
          { name: '.', filetype: FILETYPE.DIRECTORY, ino: self.ino },
          { name: '..', filetype: FILETYPE.DIRECTORY, ino: parent.ino },
          ...await d.backend.readdir(d.path),
        ];
      }
      const L = LAYOUT.dirent;
      let used = 0;
      for (let i = Number(start); i < d.entries.length && used < bufLen; i++) {
        const e = d.entries[i];
        const name = utf8(e.name);
        const record = new Uint8Array(L.size + name.length);
        const view = new DataView(record.buffer);
        view.setBigUint64(L.next, BigInt(i + 1), true);
        view.setBigUint64(L.ino, BigInt(e.ino), true);
        view.setUint32(L.namlen, name.length, true);
        view.setUint8(L.type, e.filetype);
        record.set(name, L.size);
        // The last record may be cut short: a full buffer tells the guest to call again.
        const part = record.subarray(0, Math.min(record.length, bufLen - used));
        mem.copyIn(buf + used, part);
        used += part.length;
      }
      mem.u32(bufusedPtr, used);
      return SUCCESS;
    },

    async fd_renumber(from, to) {
      const d = fds.get(from);
      fds.get(to);
      if (from === to) return SUCCESS;
      await fds.take(to).close();
      fds.take(from);
      fds.set(to, d);
      return SUCCESS;
    },

    async fd_seek(fd, offset, whence, newOffsetPtr) {
      const rights = offset === 0n && whence === WHENCE.CUR ? R.FD_TELL : R.FD_SEEK;
      const d = fds.getOf(fd, FileDescriptor, rights, notSeekable(fds.get(fd)));
      let base;
      if (whence === WHENCE.SET) base = 0n;
      else if (whence === WHENCE.CUR) base = BigInt(d.position);
      else if (whence === WHENCE.END) base = (await d.handle.stat()).size;
      else return ERRNO.EINVAL;
      const target = base + offset;
      if (target < 0n) return ERRNO.EINVAL;
      d.position = toPosition(target);
      mem.u64(newOffsetPtr, target);
      return SUCCESS;
    },

    async fd_sync(fd) {
      const d = fds.get(fd, R.FD_SYNC);
      if (d instanceof FileDescriptor) await d.handle.sync();
      return SUCCESS;
    },

    fd_tell(fd, ptr) {
      const d = fds.getOf(fd, FileDescriptor, R.FD_TELL, notSeekable(fds.get(fd)));
      mem.u64(ptr, d.position);
      return SUCCESS;
    },

    fd_write(fd, iovsPtr, iovsLen, nwrittenPtr) {
      const d = fds.get(fd, R.FD_WRITE);
      const data = mem.gather(mem.iovecs(iovsPtr, iovsLen));
      if (d instanceof StreamDescriptor) {
        if (!d.output) return ERRNO.EBADF;
        return then(d.output.write(data), () => {
          mem.u32(nwrittenPtr, data.length);
          return SUCCESS;
        });
      }
      if (!(d instanceof FileDescriptor)) return ERRNO.EISDIR;
      return (async () => {
        const position = d.flags & FDFLAGS.APPEND ? Number((await d.handle.stat()).size) : d.position;
        const n = await writeFile(d, data, position);
        d.position = position + n;
        mem.u32(nwrittenPtr, n);
        return SUCCESS;
      })();
    },
  };
}

