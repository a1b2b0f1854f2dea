// Loads the WASI programs and runs one with the chosen backend:
//   'asyncify'  the module instrumented at build time by wasm-asyncify (wasm/asyncify/NAME.wasm)
//   'jspi'      the untouched module (wasm/plain/NAME.wasm), suspended by the engine's JSPI
// Compiled modules are cached per backend, so switching compares execution, not downloads.
import { compile, hasJspi, instantiate } from '../runtime/index.js';
import { WASI } from '../runtime/src/wasi/index.js';

// Each program exports a static `asyncify_buffer` of this size (programs/support/support.c).
const ASYNCIFY_BUFFER_SIZE = 1 << 20;

export const BACKENDS = Object.freeze({
  asyncify: { label: 'Asyncify', dir: 'wasm/asyncify', options: { backend: 'asyncify', bufferSize: ASYNCIFY_BUFFER_SIZE } },
  jspi: { label: 'JSPI', dir: 'wasm/plain', options: { backend: 'jspi' } },
});

export function availableBackends() {
  return hasJspi() ? ['jspi', 'asyncify'] : ['asyncify'];
}

export class Programs {
  #names;
  lastEngine = null;
  #modules = new Map(); // 'backend/name' -> Promise<WebAssembly.Module>

  constructor(names) { this.#names = new Set(names); }

  static async load(base = '.') {
    const response = await fetch(`${base}/programs.json`);
    if (!response.ok) throw new Error(`programs.json: HTTP ${response.status}`);
    return new Programs(await response.json());
  }

  has(name) { return this.#names.has(name); }

  names() { return [...this.#names].sort(); }

  #module(name, backend) {
    const key = `${backend}/${name}`;
    if (!this.#modules.has(key)) {
      const load = fetch(`${BACKENDS[backend].dir}/${name}.wasm`).then(async (response) => {
        if (!response.ok) throw new Error(`${name}.wasm: HTTP ${response.status}`);
        return compile(new Uint8Array(await response.arrayBuffer()));
      });
      load.catch(() => this.#modules.delete(key)); // let a later call retry
      this.#modules.set(key, load);
    }
    return this.#modules.get(key);
  }

  /**
   * Runs `argv[0]` to completion; resolves to its exit code. An abort of `signal` rejects with
   * the signal's reason (the caller decides the status).
   */
  async run({ argv, backend, env, preopens, stdin, stdout, stderr, signal }) {
    const module = await this.#module(argv[0], backend);
    const wasi = new WASI({ args: argv, env, preopens, stdin, stdout, stderr, signal });
    const instance = await instantiate(module, wasi.getImportObject(), BACKENDS[backend].options);
    this.lastEngine = instance.backend; // what the runtime actually used, for the page and tests
    return wasi.start(instance);
  }
}
