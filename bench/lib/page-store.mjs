// The storage behind the SQLite benchmark's VFS: files held in JS Maps of fixed-size pages, the
// way a browser database layer over IndexedDB or OPFS keeps them. `storeImports` turns it into
// the module's "store" imports; in async mode the five I/O calls answer through a resolved
// promise, so each one costs a real trip through the microtask queue.

const PAGE = 4096;

class StoredFile {
  constructor() {
    this.pages = new Map();
    this.size = 0;
  }

  read(dst, offset) {
    const end = Math.min(offset + dst.length, this.size);
    let done = 0;
    for (let pos = offset; pos < end;) {
      const index = Math.floor(pos / PAGE);
      const within = pos - index * PAGE;
      const n = Math.min(PAGE - within, end - pos);
      const page = this.pages.get(index);
      if (page) dst.set(page.subarray(within, within + n), done);
      else dst.fill(0, done, done + n);
      done += n;
      pos += n;
    }
    return Math.max(0, end - offset);
  }

  write(src, offset) {
    let done = 0;
    while (done < src.length) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE);
      const within = pos - index * PAGE;
      const n = Math.min(PAGE - within, src.length - done);
      let page = this.pages.get(index);
      if (!page) this.pages.set(index, (page = new Uint8Array(PAGE)));
      page.set(src.subarray(done, done + n), within);
      done += n;
    }
    this.size = Math.max(this.size, offset + src.length);
    return src.length;
  }

  truncate(size) {
    for (const index of this.pages.keys()) if (index * PAGE >= size) this.pages.delete(index);
    const last = this.pages.get(Math.floor(size / PAGE));
    if (last) last.fill(0, size % PAGE);
    this.size = size;
  }
}

export class PageStore {
  constructor() {
    this.files = new Map();
    this.handles = new Map();
    this.nextHandle = 1;
    this.calls = { read: 0, write: 0, sync: 0, size: 0, truncate: 0 };
  }
}

// getMemory: returns the module's current memory (it may grow between calls).
// mode: 'sync' (plain results) or 'async' (results through a resolved promise).
export function storeImports(store, getMemory, mode) {
  const text = new TextDecoder();
  const name = (ptr, len) => text.decode(new Uint8Array(getMemory().buffer, ptr, len));
  const later = mode === 'async' ? (v) => Promise.resolve(v) : (v) => v;
  const file = (fid) => store.handles.get(fid);
  const count = (what) => { store.calls[what]++; };

  const sync = {
    open(ptr, len, create) {
      const n = name(ptr, len);
      let f = store.files.get(n);
      if (!f) {
        if (!create) return -1;
        store.files.set(n, (f = new StoredFile()));
      }
      const fid = store.nextHandle++;
      store.handles.set(fid, f);
      return fid;
    },
    close(fid) {
      return store.handles.delete(fid) ? 0 : -1;
    },
    delete(ptr, len) {
      store.files.delete(name(ptr, len));
      return 0;
    },
    exists(ptr, len) {
      return store.files.has(name(ptr, len)) ? 1 : 0;
    },
  };
  const io = {
    read(fid, ptr, amt, offset) {
      count('read');
      return later(file(fid).read(new Uint8Array(getMemory().buffer, ptr, amt), Number(offset)));
    },
    write(fid, ptr, amt, offset) {
      count('write');
      return later(file(fid).write(new Uint8Array(getMemory().buffer, ptr, amt), Number(offset)));
    },
    sync(fid) {
      count('sync');
      return later(file(fid) ? 0 : -1);
    },
    size(fid, outPtr) {
      count('size');
      new DataView(getMemory().buffer).setBigInt64(outPtr, BigInt(file(fid).size), true);
      return later(0);
    },
    truncate(fid, size) {
      count('truncate');
      file(fid).truncate(Number(size));
      return later(0);
    },
  };
  return { sync, io };
}

export const ASYNC_STORE_IMPORTS = ['store.read', 'store.write', 'store.sync', 'store.size', 'store.truncate'];
