// Runs one WASI program in the page with its sandbox in the origin-private file system
// (FileSystemDirectoryHandle, the same interface a showDirectoryPicker() folder has).
import { WASI, DirectoryHandleBackend, streams } from '../../../src/wasi/index.js';
import { instantiate as driverInstantiate } from '../driver.mjs';
import { FIXTURE, canonical } from '../fixture.mjs';

async function fill(dir, tree) {
  for (const [name, value] of Object.entries(tree)) {
    if (typeof value === 'string') {
      const writer = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writer.write(value);
      await writer.close();
    } else {
      await fill(await dir.getDirectoryHandle(name, { create: true }), value);
    }
  }
}

async function snapshot(dir) {
  const out = {};
  for await (const [name, handle] of dir.entries()) {
    out[name] = handle.kind === 'directory'
      ? await snapshot(handle)
      : new Uint8Array(await (await handle.getFile()).arrayBuffer());
  }
  return out;
}

/**
 * @param {{name, args, env, stdin, file, runtime, runtimeEntry, options}} c
 *   runtime 'driver' (the tests' Asyncify driver) or 'runtime' (the package, module at runtimeEntry)
 */
export async function runCase(c) {
  const opfs = await navigator.storage.getDirectory();
  const folderName = `wasi-${crypto.randomUUID()}`;
  const folder = await opfs.getDirectoryHandle(folderName, { create: true });
  try {
    await fill(folder, FIXTURE);
    const stdout = streams.collect();
    const stderr = streams.collect();
    const wasi = new WASI({
      args: [c.name, ...(c.args ?? [])], env: c.env ?? {}, stdin: c.stdin ?? '', stdout, stderr,
      preopens: { '/sandbox': new DirectoryHandleBackend(folder) },
    });
    const bytes = await (await fetch(`../../../build/wasi/${c.file}`)).arrayBuffer();
    const instantiate = c.runtime === 'driver' ? driverInstantiate : (await import(c.runtimeEntry)).instantiate;
    const { instance } = await instantiate(bytes, wasi.getImportObject(), c.options);
    const code = await wasi.start(instance);
    return {
      code, stdout: stdout.text(), stderr: stderr.text(),
      tree: canonical(await snapshot(folder)), backend: instance.backend ?? 'asyncify',
    };
  } finally {
    await opfs.removeEntry(folderName, { recursive: true });
  }
}

/** Error codes and edge cases of the backend itself, on a fresh OPFS folder. */
export async function backendChecks() {
  const opfs = await navigator.storage.getDirectory();
  const folderName = `wasi-${crypto.randomUUID()}`;
  const folder = await opfs.getDirectoryHandle(folderName, { create: true });
  const b = new DirectoryHandleBackend(folder);
  const code = (promise) => promise.then(() => 'ok', (e) => e.code ?? String(e));
  const out = {};
  try {
    await b.mkdir('d');
    const f = await b.open('d/f.txt', { create: true, write: true });
    await f.write(new TextEncoder().encode('abc'), 0);
    out.sizeBeforeCommit = Number((await b.lstat('d/f.txt')).size);
    await f.write(new TextEncoder().encode('Z'), 6); // past the end: zeros in between
    out.renameDirWithOpenFile = await code(b.rename('d', 'e'));
    const data = new Uint8Array(10);
    const n = await f.read(data, 0);
    out.readAfterRename = Array.from(data.subarray(0, n));
    await f.close();
    out.symlink = await code(b.symlink('x', 'e/l'));
    out.link = await code(b.link('e/f.txt', 'e/g'));
    out.readlinkFile = await code(b.readlink('e/f.txt'));
    out.readlinkMissing = await code(b.readlink('nope'));
    out.setTimes = await code(b.setTimes('e/f.txt', 1n, 1n));
    out.moveIntoItself = await code(b.rename('e', 'e/inner'));
    out.rmdirNonEmpty = await code(b.rmdir('e'));
    out.unlinkDir = await code(b.unlink('e'));
    out.rmdirFile = await code(b.rmdir('e/f.txt'));
    out.openExclusive = await code(b.open('e/f.txt', { create: true, exclusive: true }));
    out.openDir = await code(b.open('e', {}));
    out.underFile = await code(b.mkdir('e/f.txt/x'));
    out.badName = await code(b.mkdir('a\\b'));
    out.listing = (await b.readdir('')).map((e) => `${e.name}:${e.filetype}`);
  } finally {
    await opfs.removeEntry(folderName, { recursive: true });
  }
  return out;
}
