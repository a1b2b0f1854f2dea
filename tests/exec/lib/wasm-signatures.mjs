// Reads just enough of a module's binary to know the signature of every imported and exported
// function. The host needs it because JS engines (without the type-reflection proposal) do not
// say what an import returns, and an unwinding import must still return a value of the right
// JS type (BigInt for i64, an array for several results) or the call throws a TypeError.

const VALTYPES = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'],
  [0x70, 'funcref'], [0x6f, 'externref'], [0x69, 'exnref'], [0x74, 'nullexnref'],
  [0x6e, 'anyref'], [0x6d, 'eqref'], [0x6c, 'i31ref'], [0x6b, 'structref'], [0x6a, 'arrayref'],
  [0x71, 'nullref'], [0x72, 'nullexternref'], [0x73, 'nullfuncref'],
]);
const PACKED = new Set([0x78, 0x77]); // i8, i16 (struct and array fields only)

class Reader {
  constructor(bytes, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  byte() {
    if (this.pos >= this.end) throw new Error(`unexpected end of module at offset ${this.pos}`);
    return this.bytes[this.pos++];
  }

  u32() {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  }

  // Only skipped or compared, never used as a number, so a float is precise enough.
  s33() {
    return this.u32();
  }

  name() {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }

  valtype() {
    const code = this.byte();
    if (code === 0x63 || code === 0x64) {
      this.s33();
      return code === 0x63 ? 'ref null' : 'ref';
    }
    const name = VALTYPES.get(code);
    if (!name) throw new Error(`unknown value type 0x${code.toString(16)} at offset ${this.pos - 1}`);
    return name;
  }

  limits() {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
    return { memory64: (flags & 4) !== 0 };
  }
}

// One composite type: a function's signature, or null for a struct or an array (GC).
function readCompositeType(r) {
  let form = r.byte();
  if (form === 0x50 || form === 0x4f) { // sub, sub final: supertypes, then the type
    for (let k = r.u32(); k > 0; k--) r.u32();
    form = r.byte();
  }
  const field = () => {
    if (PACKED.has(r.bytes[r.pos])) r.byte();
    else r.valtype();
    r.byte(); // mutability
  };
  if (form === 0x5f) {
    for (let k = r.u32(); k > 0; k--) field();
    return null;
  }
  if (form === 0x5e) {
    field();
    return null;
  }
  if (form !== 0x60) throw new Error(`type form 0x${form.toString(16)} at offset ${r.pos - 1} is not supported here`);
  const params = [];
  for (let k = r.u32(); k > 0; k--) params.push(r.valtype());
  const results = [];
  for (let k = r.u32(); k > 0; k--) results.push(r.valtype());
  return { params, results };
}

// Every type index in order; a rec group (0x4e) holds several.
function readTypes(r) {
  const types = [];
  for (let n = r.u32(); n > 0; n--) {
    if (r.bytes[r.pos] === 0x4e) {
      r.byte();
      for (let k = r.u32(); k > 0; k--) types.push(readCompositeType(r));
    } else {
      types.push(readCompositeType(r));
    }
  }
  return types;
}

// Returns { imports: Map('mod.name' -> {params, results}), exports: Map(name -> {params, results}),
//           memories: [{memory64}] } for function imports/exports and all memories.
export function readSignatures(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const r = new Reader(bytes, 8);
  let types = [];
  const funcTypes = [];
  const imports = new Map();
  const exports = new Map();
  const memories = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id === 1) {
      types = readTypes(s);
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        const key = `${s.name()}.${s.name()}`;
        const kind = s.byte();
        if (kind === 0x00) {
          const type = types[s.u32()];
          funcTypes.push(type);
          imports.set(key, type);
        } else if (kind === 0x01) {
          s.valtype();
          s.limits();
        } else if (kind === 0x02) {
          memories.push(s.limits());
        } else if (kind === 0x03) {
          s.valtype();
          s.byte();
        } else if (kind === 0x04) {
          s.byte();
          s.u32();
        } else {
          throw new Error(`unknown import kind ${kind}`);
        }
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) funcTypes.push(types[s.u32()]);
    } else if (id === 5) {
      for (let n = s.u32(); n > 0; n--) memories.push(s.limits());
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const name = s.name();
        const kind = s.byte();
        const index = s.u32();
        if (kind === 0x00) exports.set(name, funcTypes[index]);
      }
    }
  }
  return { imports, exports, memories };
}

// The value an unwinding import returns: ignored by the instrumented caller, but it must convert.
export function placeholderResult(results) {
  const zero = (t) => (t === 'i64' ? 0n : t === 'i32' || t === 'f32' || t === 'f64' ? 0 : null);
  if (results.length === 0) return undefined;
  if (results.length === 1) return zero(results[0]);
  return results.map(zero);
}
