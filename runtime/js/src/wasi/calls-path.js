// path_* calls: operations on names relative to a directory descriptor.
import { ERRNO, FDFLAGS, FILETYPE, LOOKUPFLAGS, OFLAGS, RIGHTS, RIGHTS_DIR, RIGHTS_FILE } from './constants.js';
import { DirDescriptor, FileDescriptor } from './descriptors.js';
import { FsError } from './errors.js';
import { resolvePath } from './path.js';
import { timesFromFlags, writeFilestat } from './filestat.js';

const { SUCCESS } = ERRNO;
const R = RIGHTS;
const WRITE_RIGHTS = R.FD_WRITE | R.FD_ALLOCATE | R.FD_FILESTAT_SET_SIZE | R.FD_DATASYNC;

async function lstatOrNull(backend, path) {
  try {
    return await backend.lstat(path);
  } catch (error) {
    if (error.code === 'ENOENT') return null;
    throw error;
  }
}

export function pathCalls({ mem, fds }) {
  /** Resolves (fd, path) to {dir, path, mustBeDirectory}; `rights` are required on the directory. */
  async function resolve(fd, ptr, len, rights, follow = false) {
    const dir = fds.getOf(fd, DirDescriptor, rights, 'ENOTDIR');
    const guestPath = mem.string(ptr, len);
    const resolved = await resolvePath(dir.backend, dir.path, guestPath, follow);
    return { dir, ...resolved };
  }

  const follows = (lookupflags) => (lookupflags & LOOKUPFLAGS.SYMLINK_FOLLOW) !== 0;

  return {
    async path_create_directory(fd, ptr, len) {
      const { dir, path } = await resolve(fd, ptr, len, R.PATH_CREATE_DIRECTORY);
      await dir.backend.mkdir(path);
      return SUCCESS;
    },

    async path_filestat_get(fd, flags, ptr, len, bufPtr) {
      const { dir, path, mustBeDirectory } = await resolve(fd, ptr, len, R.PATH_FILESTAT_GET, follows(flags));
      const stat = await dir.backend.lstat(path);
      if (mustBeDirectory && stat.filetype !== FILETYPE.DIRECTORY) throw new FsError('ENOTDIR');
      writeFilestat(mem, bufPtr, stat);
      return SUCCESS;
    },

    async path_filestat_set_times(fd, flags, ptr, len, atim, mtim, fstflags) {
      const times = timesFromFlags(atim, mtim, fstflags);
      const { dir, path } = await resolve(fd, ptr, len, R.PATH_FILESTAT_SET_TIMES, follows(flags));
      await dir.backend.setTimes(path, times.atim, times.mtim);
      return SUCCESS;
    },

    async path_link(oldFd, oldFlags, oldPtr, oldLen, newFd, newPtr, newLen) {
      const from = await resolve(oldFd, oldPtr, oldLen, R.PATH_LINK_SOURCE, follows(oldFlags));
      const to = await resolve(newFd, newPtr, newLen, R.PATH_LINK_TARGET);
      if (from.dir.backend !== to.dir.backend) return ERRNO.EXDEV;
      await from.dir.backend.link(from.path, to.path);
      return SUCCESS;
    },

    async path_open(fd, dirflags, ptr, len, oflags, rightsBase, rightsInheriting, fdflags, fdPtr) {
      const base = BigInt.asUintN(64, rightsBase);
      const inheriting = BigInt.asUintN(64, rightsInheriting);
      let needed = R.PATH_OPEN;
      if (oflags & OFLAGS.CREAT) needed |= R.PATH_CREATE_FILE;
      if (oflags & OFLAGS.TRUNC) needed |= R.PATH_FILESTAT_SET_SIZE;
      const parent = fds.getOf(fd, DirDescriptor, needed, 'ENOTDIR');
      // A descriptor can only pass on rights it was allowed to pass on.
      if ((base | inheriting) & ~parent.rightsInheriting) return ERRNO.ENOTCAPABLE;
      const { dir, path, mustBeDirectory } = await resolve(fd, ptr, len, needed, follows(dirflags));
      const { backend } = dir;
      const existing = await lstatOrNull(backend, path);
      const wantsDirectory = (oflags & OFLAGS.DIRECTORY) !== 0 || mustBeDirectory;

      if (existing?.filetype === FILETYPE.DIRECTORY) {
        if (oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL) return ERRNO.EEXIST;
        if (oflags & OFLAGS.TRUNC || base & R.FD_WRITE) return ERRNO.EISDIR;
        mem.u32(fdPtr, fds.add(new DirDescriptor(backend, path, base & RIGHTS_DIR, inheriting)));
        return SUCCESS;
      }
      if (existing && wantsDirectory) return ERRNO.ENOTDIR;
      if (!existing && wantsDirectory) return oflags & OFLAGS.CREAT ? ERRNO.EINVAL : ERRNO.ENOENT;
      if (existing?.filetype === FILETYPE.SYMBOLIC_LINK) {
        return oflags & OFLAGS.CREAT && oflags & OFLAGS.EXCL ? ERRNO.EEXIST : ERRNO.ELOOP;
      }
      const write = (base & WRITE_RIGHTS) !== 0n || (oflags & OFLAGS.TRUNC) !== 0;
      const handle = await backend.open(path, {
        read: (base & R.FD_READ) !== 0n || !write,
        write,
        create: (oflags & OFLAGS.CREAT) !== 0,
        exclusive: (oflags & OFLAGS.EXCL) !== 0,
        truncate: (oflags & OFLAGS.TRUNC) !== 0,
      });
      const filetype = existing?.filetype ?? FILETYPE.REGULAR_FILE;
      const flags = fdflags & (FDFLAGS.APPEND | FDFLAGS.NONBLOCK | FDFLAGS.DSYNC | FDFLAGS.RSYNC | FDFLAGS.SYNC);
      mem.u32(fdPtr, fds.add(new FileDescriptor(backend, path, handle, filetype, base & RIGHTS_FILE, inheriting, flags)));
      return SUCCESS;
    },

    async path_readlink(fd, ptr, len, bufPtr, bufLen, bufusedPtr) {
      const { dir, path } = await resolve(fd, ptr, len, R.PATH_READLINK);
      const target = new TextEncoder().encode(await dir.backend.readlink(path));
      const part = target.subarray(0, bufLen);
      mem.copyIn(bufPtr, part);
      mem.u32(bufusedPtr, part.length);
      return SUCCESS;
    },

    async path_remove_directory(fd, ptr, len) {
      const { dir, path } = await resolve(fd, ptr, len, R.PATH_REMOVE_DIRECTORY);
      await dir.backend.rmdir(path);
      return SUCCESS;
    },

    async path_rename(oldFd, oldPtr, oldLen, newFd, newPtr, newLen) {
      const from = await resolve(oldFd, oldPtr, oldLen, R.PATH_RENAME_SOURCE);
      const to = await resolve(newFd, newPtr, newLen, R.PATH_RENAME_TARGET);
      if (from.dir.backend !== to.dir.backend) return ERRNO.EXDEV;
      if (to.mustBeDirectory || from.mustBeDirectory) {
        const stat = await from.dir.backend.lstat(from.path);
        if (stat.filetype !== FILETYPE.DIRECTORY) return ERRNO.ENOTDIR;
      }
      await from.dir.backend.rename(from.path, to.path);
      return SUCCESS;
    },

    async path_symlink(targetPtr, targetLen, fd, ptr, len) {
      const target = mem.string(targetPtr, targetLen);
      // An absolute target could only ever point outside the sandbox.
      if (target.startsWith('/')) return ERRNO.ENOTCAPABLE;
      const { dir, path } = await resolve(fd, ptr, len, R.PATH_SYMLINK);
      await dir.backend.symlink(target, path);
      return SUCCESS;
    },

    async path_unlink_file(fd, ptr, len) {
      const { dir, path, mustBeDirectory } = await resolve(fd, ptr, len, R.PATH_UNLINK_FILE);
      if (mustBeDirectory) {
        const stat = await dir.backend.lstat(path);
        return stat.filetype === FILETYPE.DIRECTORY ? ERRNO.EISDIR : ERRNO.ENOTDIR;
      }
      await dir.backend.unlink(path);
      return SUCCESS;
    },
  };
}
