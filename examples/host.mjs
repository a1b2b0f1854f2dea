// The host side of the three examples, the same in Node and in a page: a few WASI calls for
// stdio (enough for printf/puts) and the examples' async imports.

import { instantiate } from '../runtime/js/index.js';

/** The imports each example may pause in: the transform instruments exactly these. */
export const ASYNC_IMPORTS = ['env.sleep_ms', 'env.get_answer', 'env.read_file'];
export const EXAMPLES = ['sleep', 'answer', 'greet'];

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const FILETYPE_CHARACTER_DEVICE = 2;

class ProcessExit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/**
 * Runs one example program.
 * @param {BufferSource} bytes the program (transformed by Asyncify, or plain for JSPI)
 * @param {object} host
 * @param {(fd: number, text: string) => void} host.write stdout (1) and stderr (2)
 * @param {(path: string) => Promise<Uint8Array>} host.readFile
 * @param {string} [host.backend] 'auto' (default), 'asyncify' or 'jspi'
 * @returns {Promise<number>} the exit code
 */
export async function runExample(bytes, { write, readFile, backend = 'auto' }) {
  let memory;
  const view = () => new DataView(memory.buffer);
  const decoder = new TextDecoder();
  const wasi = {
    fd_write(fd, iovs, count, writtenPtr) {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      let text = '';
      let written = 0;
      for (let i = 0; i < count; i++) {
        const base = view().getUint32(iovs + i * 8, true);
        const length = view().getUint32(iovs + i * 8 + 4, true);
        text += decoder.decode(new Uint8Array(memory.buffer, base, length));
        written += length;
      }
      write(fd, text);
      view().setUint32(writtenPtr, written, true);
      return ERRNO_SUCCESS;
    },
    // Character devices make libc line-buffer stdout, so "A" shows before the sleep.
    fd_fdstat_get(fd, statPtr) {
      if (fd > 2) return ERRNO_BADF;
      new Uint8Array(memory.buffer, statPtr, 24).fill(0);
      view().setUint8(statPtr, FILETYPE_CHARACTER_DEVICE);
      return ERRNO_SUCCESS;
    },
    fd_close: () => ERRNO_SUCCESS,
    fd_seek: () => ERRNO_BADF,
    proc_exit(code) {
      throw new ProcessExit(code);
    },
  };
  const env = {
    sleep_ms: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    get_answer: () => new Promise((resolve) => setTimeout(() => resolve(42), 100)),
    async read_file(pathPtr, bufferPtr, size) {
      const bytesOfMemory = new Uint8Array(memory.buffer);
      const path = decoder.decode(bytesOfMemory.subarray(pathPtr, bytesOfMemory.indexOf(0, pathPtr)));
      let data;
      try {
        data = await readFile(path);
      } catch {
        return -1;
      }
      const n = Math.min(size, data.length);
      // Re-read memory.buffer: memory may have grown while the read was pending.
      new Uint8Array(memory.buffer, bufferPtr, n).set(data.subarray(0, n));
      return n;
    },
  };
  const { instance } = await instantiate(bytes, { wasi_snapshot_preview1: wasi, env }, {
    backend,
    // Command modules export the buffer's address only; its size is the C array's.
    bufferSize: 4096,
  });
  memory = instance.exports.memory;
  try {
    await instance.exports._start();
    return 0;
  } catch (error) {
    if (error instanceof ProcessExit) return error.code;
    throw error;
  }
}
