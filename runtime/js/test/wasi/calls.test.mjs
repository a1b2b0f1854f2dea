// The calls one by one against a bare memory: struct layouts, rights, errno values, memory
// growth while a call is pending.
import '../../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WASI, WASIExit, MemoryBackend, ERRNO, FILETYPE, RIGHTS } from '../../src/wasi/index.js';

const enc = new TextEncoder();

function setup(options = {}) {
  const backend = options.backend ?? new MemoryBackend({ 'a.txt': 'alpha', dir: { 'b.txt': 'bravo!' } });
  const wasi = new WASI({ preopens: { '/data': backend }, ...options });
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  wasi.initialize({ exports: { memory } });
  const w = wasi.wasiImport;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  const str = (ptr, s) => { const b = enc.encode(s); bytes().set(b, ptr); return [ptr, b.length]; };
  const sentinel = (ptr, len) => bytes().fill(0xAA, ptr, ptr + len);
  return { wasi, w, memory, view, bytes, str, sentinel, backend };
}

async function openFile(ctx, name, oflags = 0, base = RIGHTS.FD_READ | RIGHTS.FD_WRITE | RIGHTS.FD_SEEK | RIGHTS.FD_TELL | RIGHTS.FD_FILESTAT_GET | RIGHTS.POLL_FD_READWRITE) {
  const [p, n] = ctx.str(1000, name);
  assert.equal(await ctx.w.path_open(3, 1, p, n, oflags, base, 0n, 0, 2000), ERRNO.SUCCESS);
  return ctx.view().getUint32(2000, true);
}

test('prestat (8 bytes) and the preopen name', () => {
  const c = setup();
  c.sentinel(0, 16);
  assert.equal(c.w.fd_prestat_get(3, 0), 0);
  assert.equal(c.view().getUint8(0), 0);
  assert.equal(c.view().getUint32(4, true), 5);
  assert.equal(c.view().getUint8(8), 0xAA);
  assert.equal(c.w.fd_prestat_dir_name(3, 100, 4), ERRNO.ENAMETOOLONG);
  assert.equal(c.w.fd_prestat_dir_name(3, 100, 5), 0);
  assert.equal(new TextDecoder().decode(c.bytes().subarray(100, 105)), '/data');
  assert.equal(c.w.fd_prestat_get(4, 0), ERRNO.EBADF);
  assert.equal(c.w.fd_prestat_get(1, 0), ERRNO.EBADF);
});

test('fdstat (24 bytes) and rights that can only shrink', async () => {
  const c = setup();
  c.sentinel(0, 32);
  assert.equal(c.w.fd_fdstat_get(3, 0), 0);
  assert.equal(c.view().getUint8(0), FILETYPE.DIRECTORY);
  assert.equal(c.view().getUint16(2, true), 0);
  const base = c.view().getBigUint64(8, true);
  assert.ok(base & RIGHTS.PATH_OPEN);
  assert.equal(base & RIGHTS.FD_READ, 0n, 'directories are not readable as bytes');
  assert.ok(c.view().getBigUint64(16, true) & RIGHTS.FD_READ, 'files opened below may read');
  assert.equal(c.view().getUint8(24), 0xAA);
  assert.equal(c.w.fd_fdstat_set_rights(3, base | RIGHTS.SOCK_ACCEPT, 0n), ERRNO.ENOTCAPABLE);
  assert.equal(c.w.fd_fdstat_set_rights(3, base & ~RIGHTS.PATH_OPEN, 0n), 0);
  const [p, n] = c.str(1000, 'a.txt');
  assert.equal(await c.w.path_open(3, 0, p, n, 0, 0n, 0n, 0, 2000), ERRNO.ENOTCAPABLE);
  assert.equal(c.w.fd_fdstat_get(9, 0), ERRNO.EBADF);
});

test('filestat (64 bytes) through fd and path', async () => {
  const c = setup();
  const fd = await openFile(c, 'dir/b.txt');
  c.sentinel(0, 72);
  assert.equal(await c.w.fd_filestat_get(fd, 0), 0);
  const v = c.view();
  assert.equal(v.getBigUint64(0, true), 1n); // dev
  assert.ok(v.getBigUint64(8, true) > 0n); // ino
  assert.equal(v.getUint8(16), FILETYPE.REGULAR_FILE);
  assert.equal(v.getBigUint64(24, true), 1n); // nlink
  assert.equal(v.getBigUint64(32, true), 6n); // size
  assert.ok(v.getBigUint64(48, true) > 1_600_000_000_000_000_000n); // mtim in ns
  assert.equal(v.getUint8(64), 0xAA);
  const [p, n] = c.str(1000, 'dir');
  assert.equal(await c.w.path_filestat_get(3, 0, p, n, 100), 0);
  assert.equal(c.view().getUint8(116), FILETYPE.DIRECTORY);
  const [q, m] = c.str(1000, 'nope');
  assert.equal(await c.w.path_filestat_get(3, 0, q, m, 100), ERRNO.ENOENT);
});

test('readdir: dirents of 24 bytes + name, cookies, cut-off last entry', async () => {
  const c = setup({ backend: new MemoryBackend({ one: 'x', two: { }, three: 'xyz' }) });
  assert.equal(await c.w.fd_readdir(3, 0, 4096, 0n, 5000), 0);
  const used = c.view().getUint32(5000, true);
  const entries = [];
  for (let at = 0; at < used;) {
    const v = c.view();
    const len = v.getUint32(at + 16, true);
    entries.push({ next: v.getBigUint64(at, true), type: v.getUint8(at + 20), name: new TextDecoder().decode(c.bytes().subarray(at + 24, at + 24 + len)) });
    at += 24 + len;
  }
  assert.deepEqual(entries.map((e) => e.name), ['.', '..', 'one', 'two', 'three']);
  assert.deepEqual(entries.map((e) => e.next), [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(entries.map((e) => e.type), [3, 3, 4, 3, 4]);
  assert.equal(used, 5 * 24 + 1 + 2 + 3 + 3 + 5);
  // Starting at cookie 3 into a buffer too small for the whole entry: filled completely.
  assert.equal(await c.w.fd_readdir(3, 0, 30, 3n, 5000), 0);
  assert.equal(c.view().getUint32(5000, true), 30);
  assert.equal(new TextDecoder().decode(c.bytes().subarray(24, 27)), 'two');
  assert.equal(await c.w.fd_readdir(3, 0, 4096, 5n, 5000), 0);
  assert.equal(c.view().getUint32(5000, true), 0);
  assert.equal(await c.w.fd_readdir(1, 0, 4096, 0n, 5000), ERRNO.ENOTDIR);
});

test('poll_oneoff: subscriptions of 48 bytes, events of 32', async () => {
  const c = setup();
  const fd = await openFile(c, 'a.txt');
  const v = c.view();
  const sub = (i, userdata, tag, fill) => { v.setBigUint64(i * 48, userdata, true); v.setUint8(i * 48 + 8, tag); fill(i * 48); };
  sub(0, 111n, 0, (at) => { v.setUint32(at + 16, 1, true); v.setBigUint64(at + 24, 5_000_000_000n, true); });
  sub(1, 222n, 1, (at) => v.setUint32(at + 16, fd, true));
  sub(2, 333n, 2, (at) => v.setUint32(at + 16, 77, true));
  c.sentinel(1000, 200);
  const begun = Date.now();
  assert.equal(await c.w.poll_oneoff(0, 1000, 3, 2000), 0);
  assert.ok(Date.now() - begun < 1000, 'ready descriptors do not wait for the clock');
  assert.equal(c.view().getUint32(2000, true), 2);
  const ev = (i) => ({
    userdata: c.view().getBigUint64(1000 + i * 32, true), error: c.view().getUint16(1008 + i * 32, true),
    type: c.view().getUint8(1010 + i * 32), nbytes: c.view().getBigUint64(1016 + i * 32, true),
  });
  assert.deepEqual(ev(0), { userdata: 222n, error: 0, type: 1, nbytes: 5n });
  assert.deepEqual(ev(1), { userdata: 333n, error: ERRNO.EBADF, type: 2, nbytes: 0n });
  assert.equal(c.view().getUint8(1064), 0xAA);
  // A clock alone sleeps.
  sub(0, 9n, 0, (at) => { v.setUint32(at + 16, 1, true); v.setBigUint64(at + 24, 30_000_000n, true); v.setUint16(at + 40, 0, true); });
  const t0 = Date.now();
  assert.equal(await c.w.poll_oneoff(0, 1000, 1, 2000), 0);
  assert.ok(Date.now() - t0 >= 25);
  assert.equal(c.view().getBigUint64(1000, true), 9n);
  assert.equal(c.w.poll_oneoff(0, 1000, 0, 2000) instanceof Promise ? await c.w.poll_oneoff(0, 1000, 0, 2000) : -1, ERRNO.EINVAL);
});

test('seek, tell and their errors', async () => {
  const c = setup();
  const fd = await openFile(c, 'a.txt');
  assert.equal(await c.w.fd_seek(fd, -2n, 2, 0), 0);
  assert.equal(c.view().getBigUint64(0, true), 3n);
  assert.equal(c.w.fd_tell(fd, 8), 0);
  assert.equal(c.view().getBigUint64(8, true), 3n);
  assert.equal(await c.w.fd_seek(fd, -10n, 1, 0), ERRNO.EINVAL);
  assert.equal(await c.w.fd_seek(fd, 0n, 7, 0), ERRNO.EINVAL);
  assert.equal(await c.w.fd_seek(1, 0n, 0, 0), ERRNO.ESPIPE);
  assert.equal(await c.w.fd_seek(3, 0n, 0, 0), ERRNO.EISDIR);
  assert.equal(c.w.fd_fdstat_set_rights(fd, RIGHTS.FD_READ, 0n), 0);
  assert.equal(await c.w.fd_seek(fd, 1n, 0, 0), ERRNO.ENOTCAPABLE);
  assert.equal(c.w.fd_tell(fd, 0), ERRNO.ENOTCAPABLE);
  assert.equal(await c.w.fd_seek(42, 0n, 0, 0), ERRNO.EBADF);
});

test('path errors: escaping, wrong types, existing names', async () => {
  const c = setup();
  const call = async (fn, ...rest) => c.w[fn](...rest);
  const path = (s) => c.str(1000, s);
  assert.equal(await call('path_open', 3, 0, ...path('../x'), 0, RIGHTS.FD_READ, 0n, 0, 2000), ERRNO.ENOTCAPABLE);
  assert.equal(await call('path_open', 3, 0, ...path('/a.txt'), 0, RIGHTS.FD_READ, 0n, 0, 2000), ERRNO.ENOTCAPABLE);
  assert.equal(await call('path_open', 3, 0, ...path('a.txt/x'), 0, RIGHTS.FD_READ, 0n, 0, 2000), ERRNO.ENOTDIR);
  assert.equal(await call('path_open', 3, 0, ...path('a.txt'), 2, RIGHTS.FD_READ, 0n, 0, 2000), ERRNO.ENOTDIR);
  assert.equal(await call('path_open', 3, 0, ...path('a.txt'), 1 | 4, RIGHTS.FD_READ, 0n, 0, 2000), ERRNO.EEXIST);
  assert.equal(await call('path_open', 3, 0, ...path('dir'), 0, RIGHTS.FD_WRITE, 0n, 0, 2000), ERRNO.EISDIR);
  assert.equal(await call('path_create_directory', 3, ...path('dir')), ERRNO.EEXIST);
  assert.equal(await call('path_remove_directory', 3, ...path('dir')), ERRNO.ENOTEMPTY);
  assert.equal(await call('path_remove_directory', 3, ...path('a.txt')), ERRNO.ENOTDIR);
  assert.equal(await call('path_unlink_file', 3, ...path('dir')), ERRNO.EISDIR);
  assert.equal(await call('path_unlink_file', 3, ...path('a.txt/')), ERRNO.ENOTDIR);
  assert.equal(await call('path_readlink', 3, ...path('a.txt'), 0, 10, 20), ERRNO.EINVAL);
  assert.equal(await call('path_create_directory', 3, ...path('')), ERRNO.ENOENT);
  assert.equal(await call('path_create_directory', 1, ...path('x')), ERRNO.ENOTDIR);
  const [a, an] = c.str(1000, 'dir');
  const [b, bn] = c.str(1100, 'dir/inside');
  assert.equal(await c.w.path_rename(3, a, an, 3, b, bn), ERRNO.EINVAL);
  const other = new WASI({ preopens: { '/a': new MemoryBackend({ f: 'x' }), '/b': new MemoryBackend() } });
  other.initialize({ exports: { memory: c.memory } });
  const [f, fn] = c.str(1000, 'f');
  assert.equal(await other.wasiImport.path_rename(3, f, fn, 4, f, fn), ERRNO.EXDEV);
  assert.equal(await other.wasiImport.path_link(3, 0, f, fn, 4, f, fn), ERRNO.EXDEV);
});

test('memory that grows while a call is pending receives the result', async () => {
  const backend = new MemoryBackend({ 'f.txt': 'grow' });
  const slow = Object.create(backend);
  slow.symlinks = false;
  slow.lstat = async (p) => { await new Promise((r) => setTimeout(r, 10)); return backend.lstat(p); };
  const c = setup({ backend: slow });
  const [p, n] = c.str(1000, 'f.txt');
  const pending = c.w.path_filestat_get(3, 0, p, n, 65536 + 100); // beyond the first page
  c.memory.grow(1);
  assert.equal(await pending, 0);
  assert.equal(c.view().getBigUint64(65536 + 132, true), 4n);
});

test('args, environment, clocks, randomness, exit, sockets', async () => {
  const c = setup({ args: ['prog', 'ä'], env: { A: '1', B: '' } });
  assert.equal(c.w.args_sizes_get(0, 4), 0);
  assert.deepEqual([c.view().getUint32(0, true), c.view().getUint32(4, true)], [2, 5 + 3]);
  assert.equal(c.w.args_get(100, 200), 0);
  assert.equal(c.view().getUint32(104, true), 205);
  assert.deepEqual([...c.bytes().subarray(200, 208)], [...enc.encode('prog\0ä\0')]);
  assert.equal(c.w.environ_sizes_get(0, 4), 0);
  assert.deepEqual([c.view().getUint32(0, true), c.view().getUint32(4, true)], [2, 4 + 3]);
  assert.equal(c.w.clock_time_get(1, 0n, 0), 0);
  const t1 = c.view().getBigUint64(0, true);
  assert.equal(c.w.clock_time_get(1, 0n, 0), 0);
  assert.ok(c.view().getBigUint64(0, true) >= t1);
  assert.equal(c.w.clock_time_get(0, 0n, 0), 0);
  assert.ok(Math.abs(Number(c.view().getBigUint64(0, true) / 1_000_000n) - Date.now()) < 1000);
  assert.equal(c.w.clock_time_get(9, 0n, 0), ERRNO.EINVAL);
  assert.equal(c.w.clock_res_get(1, 0), 0);
  assert.ok(c.view().getBigUint64(0, true) > 0n);
  c.memory.grow(1);
  c.bytes().fill(0, 0, 70000);
  assert.equal(c.w.random_get(0, 70000), 0);
  assert.ok(c.bytes().subarray(65536, 70000).some((b) => b !== 0));
  assert.equal(c.w.random_get(2 * 65536 - 5, 10), ERRNO.EFAULT);
  assert.throws(() => c.w.proc_exit(5), (e) => e instanceof WASIExit && e.code === 5);
  assert.equal(c.w.proc_raise(2), ERRNO.ENOSYS);
  assert.equal(c.w.sock_accept(1, 0, 0), ERRNO.ENOTSOCK);
  assert.equal(c.w.sock_recv(77, 0, 0, 0, 0, 0), ERRNO.EBADF);
  assert.equal(await c.w.sched_yield(), 0);
});

test('fd_renumber, fd_close and the lowest free descriptor', async () => {
  const c = setup();
  const a = await openFile(c, 'a.txt');
  const b = await openFile(c, 'dir/b.txt');
  assert.deepEqual([a, b], [4, 5]);
  assert.equal(await c.w.fd_renumber(b, a), 0);
  assert.equal(await c.w.fd_filestat_get(a, 0), 0);
  assert.equal(c.view().getBigUint64(32, true), 6n, 'fd 4 is now dir/b.txt');
  assert.equal(await c.w.fd_close(b), ERRNO.EBADF);
  assert.equal(await c.w.fd_renumber(a, 99), ERRNO.EBADF);
  assert.equal(await openFile(c, 'a.txt'), 5);
  assert.equal(await c.w.fd_close(a), 0);
  assert.equal(await c.w.fd_close(a), ERRNO.EBADF);
});

// Parameter kinds of every preview 1 function: i = i32, I = i64 (a BigInt in JS).
const PREVIEW1 = {
  args_get: 'ii', args_sizes_get: 'ii', environ_get: 'ii', environ_sizes_get: 'ii', clock_res_get: 'ii',
  clock_time_get: 'iIi', random_get: 'ii', fd_advise: 'iIIi', fd_allocate: 'iII', fd_close: 'i',
  fd_datasync: 'i', fd_fdstat_get: 'ii', fd_fdstat_set_flags: 'ii', fd_fdstat_set_rights: 'iII',
  fd_filestat_get: 'ii', fd_filestat_set_size: 'iI', fd_filestat_set_times: 'iIIi', fd_pread: 'iiiIi',
  fd_prestat_get: 'ii', fd_prestat_dir_name: 'iii', fd_pwrite: 'iiiIi', fd_read: 'iiii',
  fd_readdir: 'iiiIi', fd_renumber: 'ii', fd_seek: 'iIii', fd_sync: 'i', fd_tell: 'ii', fd_write: 'iiii',
  path_create_directory: 'iii', path_filestat_get: 'iiiii', path_filestat_set_times: 'iiiiIIi',
  path_link: 'iiiiiii', path_open: 'iiiiiIIii', path_readlink: 'iiiiii', path_remove_directory: 'iii',
  path_rename: 'iiiiii', path_symlink: 'iiiii', path_unlink_file: 'iii', poll_oneoff: 'iiii',
  proc_exit: 'i', proc_raise: 'i', sched_yield: '', sock_accept: 'iii', sock_recv: 'iiiiii',
  sock_send: 'iiiii', sock_shutdown: 'ii',
};

test('the complete preview 1 set; only the listed imports ever return a Promise', async () => {
  const { ASYNC_IMPORTS } = await import('../../src/wasi/index.js');
  const fresh = () => setup({ stdin: { read: async () => new Uint8Array([1]) }, stdout: { write: async () => {} } });
  assert.deepEqual(Object.keys(fresh().w).sort(), Object.keys(PREVIEW1).sort());
  assert.ok(ASYNC_IMPORTS.every((name) => name in PREVIEW1));
  const sync = [];
  // Every call on a file, a directory and both streams, with zeros for the other arguments.
  for (const [name, kinds] of Object.entries(PREVIEW1)) {
    if (name === 'proc_exit') continue;
    for (const which of ['file', 'dir', 'stdin', 'stdout']) {
      const c = fresh();
      const target = which === 'file' ? await openFile(c, 'a.txt') : { dir: 3, stdin: 0, stdout: 1 }[which];
      const args = [...kinds].map((k, i) => (k === 'I' ? 0n : i === 0 ? target : 0));
      const result = c.w[name](...args);
      if (result && typeof result.then === 'function') {
        assert.ok(ASYNC_IMPORTS.includes(name), `${name} returned a Promise but is not in ASYNC_IMPORTS`);
        assert.equal(typeof await result, 'number');
      } else {
        assert.equal(typeof result, 'number', name);
        sync.push(name);
      }
    }
  }
  assert.ok(sync.includes('fd_fdstat_get') && sync.includes('clock_time_get'));
});
