// Backend over the browser's File System Access API: a FileSystemDirectoryHandle, from the
// origin-private file system (navigator.storage.getDirectory()) or showDirectoryPicker().
// Interface: see memory.js.
//
// The API only reads whole files (getFile) and writes through FileSystemWritableFileStream,
// whose changes become visible when the stream closes. An open file therefore keeps one writable
// stream for a run of writes and closes it (commits) before anything reads the file: a read, a
// stat, sync or close. (Synchronous access handles would avoid this but exist only in workers.)
// The API has no links and no settable times: those calls fail with ENOTSUP.
import { FILETYPE } from '../constants.js';
import { FsError } from '../errors.js';
import { splitPath } from '../path.js';

const DOM_CODES = {
  NotFoundError: 'ENOENT',
  TypeMismatchError: 'ENOTDIR',
  InvalidModificationError: 'ENOTEMPTY',
  NoModificationAllowedError: 'EBUSY',
  NotAllowedError: 'EACCES',
  SecurityError: 'EACCES',
  QuotaExceededError: 'ENOSPC',
  InvalidStateError: 'EIO',
  AbortError: 'EINTR',
};

/** Runs an API call, turning DOMExceptions into FsErrors (`mismatch` overrides TypeMismatch). */
async function api(fn, mismatch = 'ENOTDIR') {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof FsError) throw error;
    if (error?.name === 'TypeMismatchError') throw new FsError(mismatch, error.message);
    if (error instanceof TypeError) throw new FsError('EINVAL', error.message); // bad name
    const code = DOM_CODES[error?.name];
    if (code) throw new FsError(code, error.message);
    throw error;
  }
}

const msToNs = (ms) => BigInt(Math.round(ms)) * 1_000_000n;

class HandleFile {
  #backend;
  #path;
  #handle;
  #writer = null;
  #size = 0; // while a writer is open

  constructor(backend, path, handle) {
    this.#backend = backend;
    this.#path = path;
    this.#handle = handle;
  }

  get dirtySize() { return this.#writer ? this.#size : null; }

  async #writable(keepExistingData = true) {
    if (!this.#writer) {
      this.#size = keepExistingData ? (await api(() => this.#handle.getFile())).size : 0;
      this.#writer = await api(() => this.#handle.createWritable({ keepExistingData }), 'EISDIR');
    }
    return this.#writer;
  }

  async #commit() {
    if (!this.#writer) return;
    const writer = this.#writer;
    this.#writer = null;
    await api(() => writer.close());
  }

  async startEmpty() { await this.#writable(false); }

  /** Makes pending writes visible to readers (and lets the entry be removed or moved). */
  async commit() { await this.#commit(); }

  async read(dest, position) {
    await this.#backend.commitAll(this.#path); // other descriptors may hold writes to this file
    const file = await api(() => this.#handle.getFile());
    if (position >= file.size) return 0;
    const data = new Uint8Array(await file.slice(position, position + dest.length).arrayBuffer());
    dest.set(data);
    return data.length;
  }

  async write(bytes, position) {
    const writer = await this.#writable();
    // Writing past the end fills the gap with zeros, as POSIX does.
    await api(() => writer.write({ type: 'write', position, data: bytes }));
    this.#size = Math.max(this.#size, position + bytes.length);
    return bytes.length;
  }

  async stat() { return this.#backend.lstat(this.#path); }

  /** The entry was renamed: follow it to its new path and handle. */
  moved(path, handle) {
    this.#path = path;
    this.#handle = handle;
  }

  async truncate(size) {
    const writer = await this.#writable();
    await api(() => writer.truncate(Number(size)));
    this.#size = Number(size);
  }

  async sync() { await this.#commit(); }
  async setTimes() { throw new FsError('ENOTSUP', 'file times cannot be set through this API'); }

  async close() {
    this.#backend.forget(this.#path, this);
    await this.#commit();
  }
}

export class DirectoryHandleBackend {
  #root;
  #inodes = new Map();
  #open = new Map(); // path -> Set<HandleFile>, to report sizes of uncommitted writes

  /** @param {FileSystemDirectoryHandle} root */
  constructor(root) {
    this.symlinks = false;
    this.#root = root;
  }

  #ino(path) {
    if (!this.#inodes.has(path)) this.#inodes.set(path, BigInt(this.#inodes.size + 1));
    return this.#inodes.get(path);
  }

  fileStat(path, size, lastModified) {
    const time = msToNs(lastModified);
    return { dev: 1n, ino: this.#ino(path), filetype: FILETYPE.REGULAR_FILE, nlink: 1n, size: BigInt(size), atim: time, mtim: time, ctim: time };
  }

  #dirStat(path) {
    return { dev: 1n, ino: this.#ino(path), filetype: FILETYPE.DIRECTORY, nlink: 1n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n };
  }

  forget(path, file) { this.#open.get(path)?.delete(file); }

  /** Commits the open files at `path` and below (before reading, removing or moving them). */
  async commitAll(path) {
    for (const [openPath, files] of this.#open) {
      if (openPath === path || openPath.startsWith(`${path}/`)) {
        for (const file of files) await file.commit();
      }
    }
  }

  async #dir(path) {
    let dir = this.#root;
    if (path === '') return dir;
    for (const name of path.split('/')) dir = await api(() => dir.getDirectoryHandle(name));
    return dir;
  }

  async #parent(path) {
    if (path === '') throw new FsError('EBUSY', 'the root has no parent');
    const [dirPath, name] = splitPath(path);
    return [await this.#dir(dirPath), name];
  }

  /** The entry's handle, or null when absent. */
  async #entry(dir, name) {
    try {
      return await dir.getFileHandle(name);
    } catch (error) {
      if (error?.name === 'TypeMismatchError') return api(() => dir.getDirectoryHandle(name));
      if (error?.name === 'NotFoundError') return null;
      return api(() => Promise.reject(error));
    }
  }

  async lstat(path) {
    if (path === '') return this.#dirStat(path);
    const [dir, name] = await this.#parent(path);
    const handle = await this.#entry(dir, name);
    if (!handle) throw new FsError('ENOENT');
    if (handle.kind === 'directory') return this.#dirStat(path);
    const file = await api(() => handle.getFile());
    // Uncommitted writes through open descriptors already count, as they would on POSIX.
    let size = file.size;
    for (const open of this.#open.get(path) ?? []) size = open.dirtySize ?? size;
    return this.fileStat(path, size, file.lastModified);
  }

  async open(path, { create = false, exclusive = false, truncate = false } = {}) {
    const [dir, name] = await this.#parent(path);
    if (exclusive && await this.#entry(dir, name)) throw new FsError('EEXIST');
    const handle = await api(() => dir.getFileHandle(name, { create }), 'EISDIR');
    const file = new HandleFile(this, path, handle);
    if (truncate) await file.startEmpty();
    if (!this.#open.has(path)) this.#open.set(path, new Set());
    this.#open.get(path).add(file);
    return file;
  }

  async readdir(path) {
    const dir = await this.#dir(path);
    const list = [];
    for await (const [name, handle] of dir.entries()) {
      const full = path === '' ? name : `${path}/${name}`;
      list.push({ name, filetype: handle.kind === 'directory' ? FILETYPE.DIRECTORY : FILETYPE.REGULAR_FILE, ino: this.#ino(full) });
    }
    return list;
  }

  async mkdir(path) {
    const [dir, name] = await this.#parent(path);
    if (await this.#entry(dir, name)) throw new FsError('EEXIST');
    await api(() => dir.getDirectoryHandle(name, { create: true }));
  }

  async rmdir(path) {
    await this.commitAll(path);
    const [dir, name] = await this.#parent(path);
    await api(() => dir.getDirectoryHandle(name));
    await api(() => dir.removeEntry(name));
  }

  async unlink(path) {
    await this.commitAll(path);
    const [dir, name] = await this.#parent(path);
    await api(() => dir.getFileHandle(name), 'EISDIR');
    await api(() => dir.removeEntry(name));
  }

  async rename(from, to) {
    if (from === to) return;
    await this.commitAll(from);
    await this.commitAll(to);
    const [fromDir, fromName] = await this.#parent(from);
    const source = await this.#entry(fromDir, fromName);
    if (!source) throw new FsError('ENOENT');
    const [toDir, toName] = await this.#parent(to);
    if (source.kind === 'directory' && to.startsWith(`${from}/`)) throw new FsError('EINVAL');
    const existing = await this.#entry(toDir, toName);
    if (existing) {
      if (source.kind === 'directory' && existing.kind !== 'directory') throw new FsError('ENOTDIR');
      if (source.kind !== 'directory' && existing.kind === 'directory') throw new FsError('EISDIR');
      await api(() => toDir.removeEntry(toName)); // fails with ENOTEMPTY for a full directory
    }
    if (typeof source.move === 'function') {
      await api(() => source.move(toDir, toName));
    } else {
      await this.#copy(source, toDir, toName);
      await api(() => fromDir.removeEntry(fromName, { recursive: true }));
    }
    this.#inodes.set(to, this.#ino(from));
    this.#inodes.delete(from);
    await this.#retarget(from, to);
  }

  /** Points the descriptors open at `from` (or below it) to the same files under `to`. */
  async #retarget(from, to) {
    for (const [path, files] of [...this.#open]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      const newPath = to + path.slice(from.length);
      this.#open.delete(path);
      if (files.size === 0) continue;
      const [dir, name] = await this.#parent(newPath);
      const handle = await api(() => dir.getFileHandle(name));
      for (const file of files) file.moved(newPath, handle);
      this.#open.set(newPath, files);
    }
  }

  async #copy(source, toDir, toName) {
    if (source.kind === 'file') {
      const target = await api(() => toDir.getFileHandle(toName, { create: true }));
      const writer = await api(() => target.createWritable());
      await api(async () => { await writer.write(await source.getFile()); await writer.close(); });
      return;
    }
    const target = await api(() => toDir.getDirectoryHandle(toName, { create: true }));
    for await (const [name, child] of source.entries()) await this.#copy(child, target, name);
  }

  async link() { throw new FsError('ENOTSUP', 'no hard links in this file system'); }
  async symlink() { throw new FsError('ENOTSUP', 'no symbolic links in this file system'); }

  async readlink(path) {
    await this.lstat(path);
    throw new FsError('EINVAL', 'not a symbolic link');
  }

  async setTimes() { throw new FsError('ENOTSUP', 'file times cannot be set through this API'); }
}
