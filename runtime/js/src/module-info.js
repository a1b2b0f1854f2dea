// Reads the few sections the runtime needs (types, imports, functions, memories, exports) from
// a module's bytes. The JS API reports import kinds but not function types, and the runtime
// needs the exact result types of imports (i64 wants 0n, multi-value an array) and the pointer
// width of the asyncify API (memory64 modules take i64 pointers).

const SECTION = { type: 1, import: 2, function: 3, memory: 5, export: 7 };
const KIND = ['function', 'table', 'memory', 'global', 'tag'];

class Reader {
  constructor(bytes, offset = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = end;
  }

  fail(message, at = this.pos) {
    throw new TypeError(`malformed module: ${message} (at offset 0x${at.toString(16)})`);
  }

  byte() {
    if (this.pos >= this.end) this.fail('unexpected end');
    return this.bytes[this.pos++];
  }

  u32() {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
    return this.fail('LEB128 too long');
  }

  // Signed LEBs here are only skipped or range-tested (heap types), so a Number is enough.
  s33() {
    let result = 0;
    let shift = 0;
    let b;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (b & 0x40) result -= 2 ** shift;
    return result;
  }

  u64() {
    // Limits of memory64 may exceed 2^53; only skipped.
    for (let i = 0; i < 10; i++) if ((this.byte() & 0x80) === 0) return;
    this.fail('LEB128 too long');
  }

  name() {
    const length = this.u32();
    if (length > this.end - this.pos) this.fail('name runs past the section');
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }

  count(minBytesEach = 1) {
    const at = this.pos;
    const n = this.u32();
    if (n * minBytesEach > this.end - this.pos) this.fail('count larger than the bytes left', at);
    return n;
  }

  valtype() {
    const b = this.byte();
    switch (b) {
      case 0x7f: return 'i32';
      case 0x7e: return 'i64';
      case 0x7d: return 'f32';
      case 0x7c: return 'f64';
      case 0x7b: return 'v128';
      case 0x63: case 0x64: this.s33(); return 'ref';
      default:
        // Abstract heap type shorthands (funcref, externref, anyref, ...).
        if (b >= 0x69 && b <= 0x74) return 'ref';
        return this.fail(`unknown value type 0x${b.toString(16)}`);
    }
  }

  limits() {
    const flags = this.byte();
    const is64 = (flags & 0x04) !== 0;
    const read = is64 ? () => this.u64() : () => this.u32();
    read();
    if (flags & 0x01) read();
    if (flags & 0x08) this.u32(); // custom page size
    return { is64, shared: (flags & 0x02) !== 0 };
  }
}

function readCompositeType(r) {
  const form = r.byte();
  if (form === 0x60) {
    const params = Array.from({ length: r.count() }, () => r.valtype());
    const results = Array.from({ length: r.count() }, () => r.valtype());
    return { params, results };
  }
  const storage = () => {
    const b = r.bytes[r.pos];
    if (b === 0x78 || b === 0x77) r.pos++; // packed i8 / i16
    else r.valtype();
    r.byte(); // mutability
  };
  if (form === 0x5f) { for (let n = r.count(); n > 0; n--) storage(); return null; }
  if (form === 0x5e) { storage(); return null; }
  return r.fail(`unknown type form 0x${form.toString(16)}`);
}

function readSubType(r) {
  const b = r.bytes[r.pos];
  if (b === 0x50 || b === 0x4f) {
    r.pos++;
    for (let n = r.count(); n > 0; n--) r.u32();
  }
  return readCompositeType(r);
}

function readTypes(r, types) {
  for (let n = r.count(); n > 0; n--) {
    if (r.bytes[r.pos] === 0x4e) {
      r.pos++;
      for (let m = r.count(); m > 0; m--) types.push(readSubType(r));
    } else {
      types.push(readSubType(r));
    }
  }
}

function readImports(r, info) {
  for (let n = r.count(3); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const kindByte = r.byte();
    const entry = { module, name, kind: KIND[kindByte] };
    switch (kindByte) {
      case 0: entry.type = info.types[r.u32()] ?? null; info.functionTypes.push(entry.type); break;
      case 1: r.valtype(); r.limits(); break;
      case 2: entry.memory = r.limits(); info.memories.push(entry.memory); break;
      case 3: r.valtype(); r.byte(); break;
      case 4: r.byte(); r.u32(); break;
      default: r.fail(`unknown import kind ${kindByte}`);
    }
    info.imports.push(entry);
  }
}

/**
 * @param {BufferSource} source module bytes
 * @returns {{imports: object[], exports: Map<string, {kind: string, type?: object}>,
 *   memories: {is64: boolean}[], exportType(name: string): object|null}}
 */
export function readModuleInfo(source) {
  const bytes = source instanceof Uint8Array ? source
    : ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source);
  const info = { types: [], imports: [], functionTypes: [], memories: [], exports: new Map() };
  const r = new Reader(bytes, 8);
  while (r.pos < r.end) {
    const at = r.pos;
    const id = r.byte();
    const size = r.u32();
    if (size > r.end - r.pos) r.fail('section runs past the end', at);
    const section = new Reader(bytes, r.pos, r.pos + size);
    switch (id) {
      case SECTION.type: readTypes(section, info.types); break;
      case SECTION.import: readImports(section, info); break;
      case SECTION.function:
        for (let n = section.count(); n > 0; n--) info.functionTypes.push(info.types[section.u32()] ?? null);
        break;
      case SECTION.memory:
        for (let n = section.count(); n > 0; n--) info.memories.push(section.limits());
        break;
      case SECTION.export:
        for (let n = section.count(3); n > 0; n--) {
          const name = section.name();
          const kind = KIND[section.byte()];
          const index = section.u32();
          const entry = { kind };
          if (kind === 'function') entry.type = info.functionTypes[index] ?? null;
          if (kind === 'memory') entry.memory = info.memories[index] ?? null;
          info.exports.set(name, entry);
        }
        break;
      default: break;
    }
    r.pos += size;
  }
  return info;
}

/**
 * Fallback when only a compiled Module is available: kinds from the JS API, types only where the
 * engine implements type reflection (otherwise null, and the runtime uses type-agnostic values).
 */
export function reflectModuleInfo(module) {
  const info = { imports: [], exports: new Map(), memories: [] };
  const reflect = (desc) => {
    const t = desc.type;
    if (!t || !Array.isArray(t.parameters)) return null;
    const norm = (v) => (v === 'anyfunc' || v === 'funcref' || v === 'externref' ? 'ref' : v);
    return { params: t.parameters.map(norm), results: t.results.map(norm) };
  };
  for (const desc of WebAssembly.Module.imports(module)) {
    const entry = { module: desc.module, name: desc.name, kind: desc.kind };
    if (desc.kind === 'function') entry.type = reflect(desc);
    info.imports.push(entry);
  }
  for (const desc of WebAssembly.Module.exports(module)) {
    const entry = { kind: desc.kind };
    if (desc.kind === 'function') entry.type = reflect(desc);
    info.exports.set(desc.name, entry);
  }
  return info;
}

const known = new WeakMap();

/**
 * Remembers what was read from a module's bytes so that `new Instance(module)` can use it.
 * The engine already accepted the module: if this reader meets an encoding it does not know
 * (a newer proposal), fall back to what the JS API reports rather than fail.
 */
export function rememberModule(module, bytes) {
  let info;
  try {
    info = readModuleInfo(bytes);
  } catch {
    info = reflectModuleInfo(module);
  }
  known.set(module, info);
  return module;
}

export function moduleInfo(module) {
  let info = known.get(module);
  if (!info) {
    info = reflectModuleInfo(module);
    known.set(module, info);
  }
  return info;
}
