// The shell's view of the file system: a tree of mounts, each a WASI backend.
//   /          an in-memory directory (lives as long as the page), holding the mount points
//   /sandbox   the origin-private file system: survives reloads
//   /mnt/NAME  folders the user picked with `mount`
// Every program gets all mounts as preopens; wasi-libc resolves an absolute path against the
// longest matching preopen, so /sandbox/x goes to the OPFS backend and /x to the memory root.
import { DirectoryHandleBackend, FILETYPE, MemoryBackend } from '../runtime/src/wasi/index.js';

/** Normalises `path` against the directory `cwd` (both absolute results, no `.`/`..`). */
export function resolvePath(cwd, path) {
  const parts = [];
  for (const part of `${path.startsWith('/') ? '' : cwd}/${path}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export class FileSystem {
  #mounts = new Map(); // absolute mount point -> backend

  constructor() {
    this.root = new MemoryBackend({ sandbox: {}, mnt: {}, tmp: {} });
    this.#mounts.set('/', this.root);
  }

  /** Mounts the origin-private file system at /sandbox (false when the browser has none). */
  async mountSandbox() {
    if (!navigator.storage?.getDirectory) return false;
    this.#mounts.set('/sandbox', new DirectoryHandleBackend(await navigator.storage.getDirectory()));
    return true;
  }

  /** Mounts a FileSystemDirectoryHandle at /mnt/NAME; returns the mount point. */
  async mountHandle(handle) {
    const name = handle.name.replace(/[^\w.-]+/g, '_') || 'folder';
    const point = `/mnt/${name}`;
    await this.root.mkdir(`mnt/${name}`).catch((error) => {
      if (error.code !== 'EEXIST') throw error;
    });
    this.#mounts.set(point, new DirectoryHandleBackend(handle));
    return point;
  }

  /** Mount points and their backends, longest first, as WASI preopens. */
  preopens() {
    return Object.fromEntries([...this.#mounts].sort((a, b) => b[0].length - a[0].length));
  }

  mountPoints() { return [...this.#mounts.keys()].sort(); }

  /** The backend holding an absolute path and the path relative to its root. */
  locate(path) {
    let best = '/';
    for (const point of this.#mounts.keys()) {
      if ((path === point || path.startsWith(`${point}/`)) && point.length > best.length) best = point;
    }
    const rel = best === '/' ? path.slice(1) : path.slice(best.length + 1);
    return { backend: this.#mounts.get(best), rel };
  }

  async isDirectory(path) {
    const { backend, rel } = this.locate(path);
    try {
      return (await backend.lstat(rel)).filetype === FILETYPE.DIRECTORY;
    } catch {
      return false;
    }
  }

  async readFile(path) {
    const { backend, rel } = this.locate(path);
    const file = await backend.open(rel, { read: true });
    try {
      const size = Number((await file.stat()).size);
      const bytes = new Uint8Array(size);
      let done = 0;
      while (done < size) {
        const n = await file.read(bytes.subarray(done), done);
        if (n === 0) break;
        done += n;
      }
      return bytes.subarray(0, done);
    } finally {
      await file.close();
    }
  }

  async writeFile(path, bytes, { append = false } = {}) {
    const { backend, rel } = this.locate(path);
    const file = await backend.open(rel, { write: true, create: true, truncate: !append });
    try {
      const at = append ? Number((await file.stat()).size) : 0;
      let done = 0;
      while (done < bytes.length) done += await file.write(bytes.subarray(done), at + done);
    } finally {
      await file.close();
    }
  }
}
