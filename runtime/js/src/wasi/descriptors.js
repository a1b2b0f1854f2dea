// The descriptor table: what each guest fd refers to and which rights it carries.
import { FILETYPE, RIGHTS_DIR, RIGHTS_FILE, RIGHTS_STDIO } from './constants.js';
import { FsError } from './errors.js';

class Descriptor {
  constructor(filetype, rightsBase, rightsInheriting, flags = 0) {
    this.filetype = filetype;
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
    this.flags = flags;
  }
  async close() {}
}

/** stdin/stdout/stderr: a stream, never seekable. */
export class StreamDescriptor extends Descriptor {
  constructor({ input = null, output = null }) {
    super(FILETYPE.CHARACTER_DEVICE, RIGHTS_STDIO, 0n);
    this.input = input;
    this.output = output;
  }
}

/** An open regular file (or other non-directory) inside a backend. */
export class FileDescriptor extends Descriptor {
  constructor(backend, path, handle, filetype, rightsBase, rightsInheriting, flags) {
    super(filetype, rightsBase & RIGHTS_FILE, rightsInheriting, flags);
    this.backend = backend;
    this.path = path;
    this.handle = handle;
    this.position = 0;
  }
  async close() { await this.handle.close(); }
}

/** A directory inside a backend; `preopenName` is set for the directories given at start. */
export class DirDescriptor extends Descriptor {
  constructor(backend, path, rightsBase, rightsInheriting, preopenName = null) {
    super(FILETYPE.DIRECTORY, rightsBase & RIGHTS_DIR, rightsInheriting);
    this.backend = backend;
    this.path = path;
    this.preopenName = preopenName;
    this.entries = null; // fd_readdir's listing, taken afresh at cookie 0
  }
}

/**
 * Input side of a stream with one chunk of look-ahead, so that poll_oneoff can wait for data
 * without losing it: a read started by poll is handed to the next fd_read.
 */
export class InputPort {
  #source;
  #buffered = null; // Uint8Array (empty = end of input) or null
  #pending = null;

  constructor(source) { this.#source = source; }

  /** Returns bytes now or a Promise of them; an empty result means end of input. */
  read(maxBytes) {
    if (this.#buffered) return this.#take(maxBytes);
    if (this.#pending) return this.#pending.then(() => this.#take(maxBytes));
    const result = this.#source.read(maxBytes);
    const limit = (chunk) => {
      if (!chunk || chunk.length <= maxBytes) return chunk ?? new Uint8Array(0);
      this.#buffered = chunk.subarray(maxBytes); // a source may return more than asked for
      return chunk.subarray(0, maxBytes);
    };
    return result && typeof result.then === 'function' ? result.then(limit) : limit(result);
  }

  /** Resolves to the number of bytes available without blocking (0 with `ended` at end of input). */
  async ready() {
    if (!this.#buffered) {
      this.#pending ??= Promise.resolve(this.#source.read(65536)).then((chunk) => {
        this.#buffered = chunk ?? new Uint8Array(0);
        this.#pending = null;
      });
      await this.#pending;
    }
    return { available: this.#buffered.length, ended: this.#buffered.length === 0 };
  }

  #take(maxBytes) {
    const chunk = this.#buffered.subarray(0, maxBytes);
    const rest = this.#buffered.subarray(chunk.length);
    // An empty buffer marks the end of input and stays; otherwise drop it once consumed.
    this.#buffered = rest.length > 0 || chunk.length === 0 ? rest : null;
    return chunk;
  }
}

export class DescriptorTable {
  #fds = new Map();

  get(fd, rights = 0n) {
    const d = this.#fds.get(fd);
    if (!d) throw new FsError('EBADF');
    if ((d.rightsBase & rights) !== rights) throw new FsError('ENOTCAPABLE');
    return d;
  }

  /** Like get() but first requires a kind of descriptor (else `code`, e.g. ENOTDIR). */
  getOf(fd, Kind, rights = 0n, code = 'EBADF') {
    const d = this.get(fd);
    if (!(d instanceof Kind)) throw new FsError(code);
    return this.get(fd, rights);
  }

  set(fd, d) { this.#fds.set(fd, d); }

  add(d) {
    let fd = 0;
    while (this.#fds.has(fd)) fd++;
    this.#fds.set(fd, d);
    return fd;
  }

  take(fd) {
    const d = this.get(fd);
    this.#fds.delete(fd);
    return d;
  }

  values() { return this.#fds.values(); }
}

