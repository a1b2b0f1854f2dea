// Extracts the WebAssembly binary that a package's JavaScript carries inside itself
// (Emscripten SINGLE_FILE builds embed it as base64), by loading that JavaScript with the
// engine's compile entry points wrapped so that the first binary they see is written out.
//
// Usage: node capture-wasm.mjs ENTRY.js OUT.wasm
// Loading runs the package's own start-up code; some packages export a factory that only
// instantiates when called, so a default export that is a function is called once.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, out] = process.argv.slice(2);
if (!entry || !out) {
  console.error('usage: node capture-wasm.mjs ENTRY.js OUT.wasm');
  process.exit(2);
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function asBytes(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  }
  return null;
}

let captured = null;
function capture(source) {
  const bytes = asBytes(source);
  if (captured || !bytes || bytes.length < 8) return;
  if (WASM_MAGIC.every((b, i) => bytes[i] === b)) captured = Uint8Array.from(bytes);
}

function finish() {
  if (!captured) return false;
  writeFileSync(out, captured);
  console.log(`captured ${captured.length} bytes from ${entry}`);
  // The package may keep timers or workers alive; the bytes are all we wanted.
  process.exit(0);
}

const original = {
  instantiate: WebAssembly.instantiate,
  compile: WebAssembly.compile,
  Module: WebAssembly.Module,
};
WebAssembly.instantiate = function (source, imports) {
  capture(source);
  finish();
  return original.instantiate.call(WebAssembly, source, imports);
};
WebAssembly.compile = function (source) {
  capture(source);
  finish();
  return original.compile.call(WebAssembly, source);
};
WebAssembly.Module = new Proxy(original.Module, {
  construct(target, args) {
    capture(args[0]);
    finish();
    return Reflect.construct(target, args);
  },
});
// Streaming entry points take a Response; make the loader fall back to the byte-array path.
delete WebAssembly.instantiateStreaming;
delete WebAssembly.compileStreaming;

try {
  const ns = await import(pathToFileURL(resolve(entry)).href);
  finish();
  const factory = typeof ns.default === 'function' ? ns.default : null;
  if (factory) await factory();
} catch (err) {
  if (!captured) {
    console.error(`loading ${entry} failed before any wasm was seen: ${err?.stack ?? err}`);
    process.exit(1);
  }
}
if (!finish()) {
  console.error(`${entry} loaded without compiling any WebAssembly binary`);
  process.exit(1);
}
