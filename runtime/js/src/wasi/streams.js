// Standard streams. The calls see two small interfaces, both allowed to be asynchronous:
//   input:  read(maxBytes) -> Uint8Array (empty or null at end of input)
//   output: write(bytes)   -> void (the bytes are a copy the stream may keep)
// The helpers below adapt strings, byte arrays, Node streams and web streams to them.

const encoder = new TextEncoder();

/** Input that yields the given text or bytes, then end of input. */
export function fromBytes(data) {
  let rest = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  return {
    read(maxBytes) {
      const chunk = rest.subarray(0, maxBytes);
      rest = rest.subarray(chunk.length);
      return chunk;
    },
  };
}

/** Output that keeps everything written; read it back with bytes() or text(). */
export function collect() {
  const chunks = [];
  return {
    write(bytes) { chunks.push(bytes); },
    bytes() {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return out;
    },
    text() { return new TextDecoder().decode(this.bytes()); },
  };
}

/** Output that calls `onLine(text)` once per complete line (e.g. console.log), rest at flush(). */
export function lines(onLine) {
  const decoder = new TextDecoder();
  let partial = '';
  return {
    write(bytes) {
      const parts = (partial + decoder.decode(bytes, { stream: true })).split('\n');
      partial = parts.pop();
      for (const line of parts) onLine(line);
    },
    flush() { if (partial !== '') onLine(partial); partial = ''; },
  };
}

/** Input over anything async-iterable that yields byte chunks (Node Readable, web ReadableStream). */
export function fromAsyncIterable(iterable) {
  const iterator = iterable[Symbol.asyncIterator]();
  let rest = new Uint8Array(0);
  return {
    async read(maxBytes) {
      while (rest.length === 0) {
        const { value, done } = await iterator.next();
        if (done) return null;
        rest = typeof value === 'string' ? encoder.encode(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      }
      const chunk = rest.slice(0, maxBytes);
      rest = rest.subarray(chunk.length);
      return chunk;
    },
  };
}

/** Input over a web ReadableStream (browsers lack async iteration of streams in places). */
export function fromReadableStream(stream) {
  const reader = stream.getReader();
  return fromAsyncIterable({
    [Symbol.asyncIterator]: () => ({ next: () => reader.read() }),
  });
}

/** Output into a Node Writable; each write resolves once the stream accepted the chunk. */
export function toNodeWritable(stream) {
  return {
    write(bytes) {
      return new Promise((resolve, reject) => {
        stream.write(bytes, (error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** Output into a web WritableStream. */
export function toWritableStream(stream) {
  const writer = stream.getWriter();
  return { write: (bytes) => writer.write(bytes) };
}

/** Accepts what the options allow for stdin and returns the input interface. */
export function toInput(source) {
  if (source == null) return fromBytes(new Uint8Array(0));
  if (typeof source === 'string' || source instanceof Uint8Array || source instanceof ArrayBuffer) return fromBytes(source);
  if (typeof source.getReader === 'function') return fromReadableStream(source);
  // Node Readables also have read(), but a null from it means "not yet", not end of input.
  if (typeof source.pipe === 'function' && source[Symbol.asyncIterator]) return fromAsyncIterable(source);
  if (typeof source.read === 'function') return source;
  if (source[Symbol.asyncIterator]) return fromAsyncIterable(source);
  throw new TypeError('stdin must be a string, bytes, a stream or an object with read(n)');
}

/** Accepts what the options allow for stdout/stderr and returns the output interface. */
export function toOutput(sink) {
  if (sink == null) return { write() {} };
  if (typeof sink.getWriter === 'function') return toWritableStream(sink);
  if (typeof sink.on === 'function' && typeof sink.end === 'function' && typeof sink.write === 'function') {
    return toNodeWritable(sink);
  }
  if (typeof sink.write === 'function') return sink;
  throw new TypeError('stdout/stderr must be a stream or an object with write(bytes)');
}
