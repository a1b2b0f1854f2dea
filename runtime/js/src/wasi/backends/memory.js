// In-memory file system backend: a tree of directories, files and symbolic links.
//
// The backend interface (implemented by every backend; paths are normalised by the caller,
// relative to the backend's root, '' is the root itself, and never end in a link to follow):
//   symlinks: boolean                      whether the caller must look for links while resolving
//   lstat(path) -> Stat                    Stat: {dev, ino, filetype, nlink, size, atim, mtim, ctim}
//   open(path, {read, write, create, exclusive, truncate}) -> FileHandle (regular files only)
//   readdir(path) -> [{name, filetype, ino}]
//   mkdir(path), rmdir(path), unlink(path), rename(from, to), link(from, to),
//   symlink(target, path), readlink(path) -> string, setTimes(path, atim?, mtim?)
// FileHandle: read(dest, position) -> count, write(bytes, position) -> count, stat() -> Stat,
//   truncate(size), sync(), setTimes(atim?, mtim?), close().
// Times are BigInt nanoseconds, sizes and inode numbers BigInt. Failures throw FsError codes.
import { FILETYPE } from '../constants.js';
import { FsError } from '../errors.js';
import { splitPath } from '../path.js';

const now = () => BigInt(Date.now()) * 1_000_000n;

class Node {
  constructor(fs, filetype) {
    this.filetype = filetype;
    this.ino = fs.nextIno++;
    this.nlink = 1n;
    this.atim = this.mtim = this.ctim = now();
  }
  get size() { return 0n; }
}

class Directory extends Node {
  constructor(fs) { super(fs, FILETYPE.DIRECTORY); this.entries = new Map(); }
}

class File extends Node {
  constructor(fs, data = new Uint8Array(0)) { super(fs, FILETYPE.REGULAR_FILE); this.data = data; this.length = data.length; }
  get size() { return BigInt(this.length); }
  resize(length) {
    if (length > this.data.length) {
      const grown = new Uint8Array(Math.max(length, this.data.length * 2));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    } else if (length < this.length) {
      this.data.fill(0, length, this.length); // so that growing again reads zeros
    }
    this.length = length;
  }
}

class Symlink extends Node {
  constructor(fs, target) { super(fs, FILETYPE.SYMBOLIC_LINK); this.target = target; }
  get size() { return BigInt(new TextEncoder().encode(this.target).length); }
}

const statOf = (node) => ({
  dev: 1n, ino: BigInt(node.ino), filetype: node.filetype, nlink: node.nlink, size: node.size,
  atim: node.atim, mtim: node.mtim, ctim: node.ctim,
});

class MemoryFileHandle {
  constructor(file) { this.file = file; }
  async read(dest, position) {
    const { file } = this;
    const count = Math.max(0, Math.min(dest.length, file.length - position));
    dest.set(file.data.subarray(position, position + count));
    file.atim = now();
    return count;
  }
  async write(bytes, position) {
    const { file } = this;
    if (position + bytes.length > file.length) file.resize(position + bytes.length);
    file.data.set(bytes, position);
    file.mtim = file.ctim = now();
    return bytes.length;
  }
  async stat() { return statOf(this.file); }
  async truncate(size) { this.file.resize(Number(size)); this.file.mtim = this.file.ctim = now(); }
  async sync() {}
  async setTimes(atim, mtim) { setTimesOf(this.file, atim, mtim); }
  async close() {}
}

function setTimesOf(node, atim, mtim) {
  if (atim !== undefined) node.atim = atim;
  if (mtim !== undefined) node.mtim = mtim;
  node.ctim = now();
}

export class MemoryBackend {
  /**
   * @param {object} [tree] initial content: {name: string | Uint8Array | {…subtree} | {symlink: target}}
   */
  constructor(tree = {}) {
    this.symlinks = true;
    this.nextIno = 1;
    this.root = new Directory(this);
    this.#fill(this.root, tree);
  }

  #fill(dir, tree) {
    for (const [name, value] of Object.entries(tree)) {
      let node;
      if (typeof value === 'string') node = new File(this, new TextEncoder().encode(value));
      else if (value instanceof Uint8Array) node = new File(this, value.slice());
      else if (typeof value.symlink === 'string') node = new Symlink(this, value.symlink);
      else { node = new Directory(this); this.#fill(node, value); }
      dir.entries.set(name, node);
    }
  }

  /** The tree in the form the constructor takes (files as Uint8Array, links as {symlink}). */
  snapshot(dir = this.root) {
    const out = {};
    for (const [name, node] of dir.entries) {
      if (node instanceof Directory) out[name] = this.snapshot(node);
      else if (node instanceof Symlink) out[name] = { symlink: node.target };
      else out[name] = node.data.slice(0, node.length);
    }
    return out;
  }

  #lookup(path) {
    let node = this.root;
    if (path === '') return node;
    for (const name of path.split('/')) {
      if (!(node instanceof Directory)) throw new FsError('ENOTDIR');
      node = node.entries.get(name);
      if (!node) throw new FsError('ENOENT');
    }
    return node;
  }

  #parent(path) {
    if (path === '') throw new FsError('EBUSY', 'the root has no parent');
    const [dirPath, name] = splitPath(path);
    const dir = this.#lookup(dirPath);
    if (!(dir instanceof Directory)) throw new FsError('ENOTDIR');
    return [dir, name];
  }

  #touch(dir) { dir.mtim = dir.ctim = now(); }

  async lstat(path) { return statOf(this.#lookup(path)); }

  async open(path, { create = false, exclusive = false, truncate = false } = {}) {
    const [dir, name] = this.#parent(path);
    let node = dir.entries.get(name);
    if (node && create && exclusive) throw new FsError('EEXIST');
    if (!node) {
      if (!create) throw new FsError('ENOENT');
      node = new File(this);
      dir.entries.set(name, node);
      this.#touch(dir);
    }
    if (node instanceof Directory) throw new FsError('EISDIR');
    if (node instanceof Symlink) throw new FsError('ELOOP');
    if (truncate) { node.resize(0); node.mtim = node.ctim = now(); }
    return new MemoryFileHandle(node);
  }

  async readdir(path) {
    const dir = this.#lookup(path);
    if (!(dir instanceof Directory)) throw new FsError('ENOTDIR');
    return [...dir.entries].map(([name, node]) => ({ name, filetype: node.filetype, ino: BigInt(node.ino) }));
  }

  async mkdir(path) {
    const [dir, name] = this.#parent(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST');
    dir.entries.set(name, new Directory(this));
    this.#touch(dir);
  }

  async rmdir(path) {
    const [dir, name] = this.#parent(path);
    const node = dir.entries.get(name);
    if (!node) throw new FsError('ENOENT');
    if (!(node instanceof Directory)) throw new FsError('ENOTDIR');
    if (node.entries.size > 0) throw new FsError('ENOTEMPTY');
    dir.entries.delete(name);
    this.#touch(dir);
  }

  async unlink(path) {
    const [dir, name] = this.#parent(path);
    const node = dir.entries.get(name);
    if (!node) throw new FsError('ENOENT');
    if (node instanceof Directory) throw new FsError('EISDIR');
    dir.entries.delete(name);
    node.nlink -= 1n;
    this.#touch(dir);
  }

  async rename(from, to) {
    const [fromDir, fromName] = this.#parent(from);
    const node = fromDir.entries.get(fromName);
    if (!node) throw new FsError('ENOENT');
    const [toDir, toName] = this.#parent(to);
    if (node instanceof Directory && (to === from || to.startsWith(`${from}/`))) {
      if (to === from) return;
      throw new FsError('EINVAL', 'cannot move a directory into itself');
    }
    const existing = toDir.entries.get(toName);
    if (existing === node) return;
    if (existing) {
      if (node instanceof Directory && !(existing instanceof Directory)) throw new FsError('ENOTDIR');
      if (!(node instanceof Directory) && existing instanceof Directory) throw new FsError('EISDIR');
      if (existing instanceof Directory && existing.entries.size > 0) throw new FsError('ENOTEMPTY');
    }
    fromDir.entries.delete(fromName);
    toDir.entries.set(toName, node);
    node.ctim = now();
    this.#touch(fromDir);
    this.#touch(toDir);
  }

  async link(from, to) {
    const node = this.#lookup(from);
    if (node instanceof Directory) throw new FsError('EPERM');
    const [dir, name] = this.#parent(to);
    if (dir.entries.has(name)) throw new FsError('EEXIST');
    dir.entries.set(name, node);
    node.nlink += 1n;
    node.ctim = now();
    this.#touch(dir);
  }

  async symlink(target, path) {
    const [dir, name] = this.#parent(path);
    if (dir.entries.has(name)) throw new FsError('EEXIST');
    dir.entries.set(name, new Symlink(this, target));
    this.#touch(dir);
  }

  async readlink(path) {
    const node = this.#lookup(path);
    if (!(node instanceof Symlink)) throw new FsError('EINVAL');
    return node.target;
  }

  async setTimes(path, atim, mtim) { setTimesOf(this.#lookup(path), atim, mtim); }
}
