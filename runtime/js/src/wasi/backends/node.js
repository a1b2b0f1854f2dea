// Backend over a real directory through Node's fs/promises (interface: see memory.js).
//
// Paths arrive normalised and free of links in the middle (the caller resolves them one component
// at a time with lstat/readlink), so the guest cannot leave the root through `..` or a link.
// Opens add O_NOFOLLOW so a link swapped in for the last component is not followed either.
import * as fs from 'node:fs/promises';
import { constants } from 'node:fs';
import * as nodePath from 'node:path';
import { FILETYPE } from '../constants.js';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW = 0 } = constants;

function filetypeOf(stat) {
  if (stat.isFile()) return FILETYPE.REGULAR_FILE;
  if (stat.isDirectory()) return FILETYPE.DIRECTORY;
  if (stat.isSymbolicLink()) return FILETYPE.SYMBOLIC_LINK;
  if (stat.isCharacterDevice()) return FILETYPE.CHARACTER_DEVICE;
  if (stat.isBlockDevice()) return FILETYPE.BLOCK_DEVICE;
  if (stat.isSocket()) return FILETYPE.SOCKET_STREAM;
  return FILETYPE.UNKNOWN;
}

const statOf = (s) => ({
  dev: s.dev, ino: s.ino, filetype: filetypeOf(s), nlink: s.nlink, size: s.size,
  atim: s.atimeNs, mtim: s.mtimeNs, ctim: s.ctimeNs,
});

// fs takes times as seconds; keep microseconds, which is what a double can hold exactly enough.
const seconds = (ns) => Number(ns / 1000n) / 1e6;

class NodeFileHandle {
  constructor(handle) { this.handle = handle; }
  async read(dest, position) {
    const { bytesRead } = await this.handle.read(dest, 0, dest.length, position);
    return bytesRead;
  }
  async write(bytes, position) {
    const { bytesWritten } = await this.handle.write(bytes, 0, bytes.length, position);
    return bytesWritten;
  }
  async stat() { return statOf(await this.handle.stat({ bigint: true })); }
  async truncate(size) { await this.handle.truncate(Number(size)); }
  async sync() { await this.handle.sync(); }
  async setTimes(atim, mtim) {
    const s = (atim === undefined || mtim === undefined) ? await this.stat() : undefined;
    await this.handle.utimes(seconds(atim ?? s.atim), seconds(mtim ?? s.mtim));
  }
  async close() { await this.handle.close(); }
}

export class NodeBackend {
  /** @param {string} root host directory that becomes the backend's root */
  constructor(root) {
    this.symlinks = true;
    this.root = nodePath.resolve(root);
  }

  #host(path) { return path === '' ? this.root : `${this.root}/${path}`; }

  async lstat(path) { return statOf(await fs.lstat(this.#host(path), { bigint: true })); }

  async open(path, { read = true, write = false, create = false, exclusive = false, truncate = false } = {}) {
    let flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (create) flags |= O_CREAT;
    if (exclusive) flags |= O_EXCL;
    if (truncate) flags |= O_TRUNC;
    return new NodeFileHandle(await fs.open(this.#host(path), flags | O_NOFOLLOW, 0o666));
  }

  async readdir(path) {
    const entries = await fs.readdir(this.#host(path), { withFileTypes: true });
    // Dirent has no inode number; ask for it only where a guest could notice (d_ino).
    return Promise.all(entries.map(async (e) => {
      const s = await fs.lstat(nodePath.join(this.#host(path), e.name), { bigint: true }).catch(() => null);
      return { name: e.name, filetype: s ? filetypeOf(s) : filetypeOf(e), ino: s ? s.ino : 0n };
    }));
  }

  async mkdir(path) { await fs.mkdir(this.#host(path)); }
  async rmdir(path) { await fs.rmdir(this.#host(path)); }
  async unlink(path) { await fs.unlink(this.#host(path)); }
  async rename(from, to) { await fs.rename(this.#host(from), this.#host(to)); }
  async link(from, to) { await fs.link(this.#host(from), this.#host(to)); }
  async symlink(target, path) { await fs.symlink(target, this.#host(path)); }
  async readlink(path) { return fs.readlink(this.#host(path)); }

  async setTimes(path, atim, mtim) {
    const s = (atim === undefined || mtim === undefined) ? await this.lstat(path) : undefined;
    await fs.lutimes(this.#host(path), seconds(atim ?? s.atim), seconds(mtim ?? s.mtim));
  }
}
