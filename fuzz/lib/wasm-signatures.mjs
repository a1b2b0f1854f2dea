// Reads just enough of a module to call its exports from JavaScript: the parameter types of
// every exported function (type, import, function and export sections).

const VALTYPES = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128',
  0x70: 'funcref', 0x6f: 'externref',
};

class Reader {
  constructor(bytes, pos = 0) { this.bytes = bytes; this.pos = pos; }
  byte() {
    if (this.pos >= this.bytes.length) throw new Error('unexpected end of module');
    return this.bytes[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, b;
    do { b = this.byte(); result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  }
  skip(n) { this.pos += n; }
  name() { const n = this.u32(); const s = this.bytes.subarray(this.pos, this.pos + n); this.pos += n; return Buffer.from(s).toString('utf8'); }
  valtype() {
    const b = this.byte();
    if (b === 0x63 || b === 0x64) { this.u32(); return 'ref'; }  // (ref null? ht): typed references
    return VALTYPES[b] ?? `0x${b.toString(16)}`;
  }
  limits() { const flags = this.byte(); this.u32(); if (flags & 1) this.u32(); }
}

// Returns [{name, params: [valtype...], results: [valtype...]}] for every exported function,
// in export order.
export function exportedFunctions(bytes) {
  const r = new Reader(bytes, 8);
  const types = [];
  const funcTypes = [];  // type index of every function, imports first
  const exports = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        const form = r.byte();
        if (form !== 0x60) throw new Error(`unsupported type form 0x${form.toString(16)}`);
        const params = []; for (let k = r.u32(); k > 0; k--) params.push(r.valtype());
        const results = []; for (let k = r.u32(); k > 0; k--) results.push(r.valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        r.name(); r.name();
        const kind = r.byte();
        if (kind === 0) funcTypes.push(r.u32());
        else if (kind === 1) { r.valtype(); r.limits(); }
        else if (kind === 2) r.limits();
        else if (kind === 3) { r.valtype(); r.byte(); }
        else if (kind === 4) { r.byte(); r.u32(); }
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) funcTypes.push(r.u32());
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name(); const kind = r.byte(); const index = r.u32();
        if (kind === 0) exports.push({ name, ...types[funcTypes[index]] });
      }
    }
    r.pos = end;
  }
  return exports;
}
