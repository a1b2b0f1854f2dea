// Keyboard input over an xterm.js terminal, in two modes:
//   readLine(prompt)  the shell's line editor: cursor movement, history (Up/Down), Ctrl+C drops
//                     the line, Ctrl+L clears the screen, Ctrl+U erases to the line start
//   input             the running program's stdin, line-buffered like a terminal: typed text is
//                     echoed and sent at Enter; Ctrl+D sends what is typed, or end of input on an
//                     empty line; Ctrl+C calls onInterrupt (the shell aborts the program)
const encoder = new TextEncoder();

// Escape sequences xterm sends for editing keys.
const KEYS = {
  '\x1b[A': 'up', '\x1b[B': 'down', '\x1b[C': 'right', '\x1b[D': 'left',
  '\x1b[H': 'home', '\x1b[F': 'end', '\x1bOH': 'home', '\x1bOF': 'end', '\x1b[3~': 'delete',
  '\x1b[1~': 'home', '\x1b[4~': 'end',
};

export class Console {
  #term;
  #history = [];
  #editor = null;      // the line being edited at the prompt, or null
  #cooked = '';        // a running program's partially typed line
  #ready = [];         // typed input waiting for the program: Uint8Array chunks, null = end
  #waiter = null;      // a pending input read
  onInterrupt = () => {};

  constructor(term) {
    this.#term = term;
    term.onData((data) => this.#receive(data));
    this.input = { read: (max) => this.#read(max) };
  }

  write(text) { this.#term.write(text); }

  /** Resolves to the next line typed at `prompt` (without its newline). */
  readLine(prompt) {
    return new Promise((resolve) => {
      this.#editor = { prompt, text: '', cursor: 0, historyAt: this.#history.length, draft: '', resolve };
      this.#term.write(prompt);
    });
  }

  history() { return [...this.#history]; }

  /** Forgets typed-ahead program input (called when a program ends). */
  resetInput() {
    this.#cooked = '';
    this.#ready = [];
    this.#waiter = null;
  }

  #receive(data) {
    // Split into single keys: escape sequences stay whole, pasted text goes character by character.
    for (let i = 0; i < data.length;) {
      let key = data[i];
      if (key === '\x1b') {
        const match = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i));
        key = match ? match[0] : key;
      } else if (data.codePointAt(i) > 0xffff) {
        key = String.fromCodePoint(data.codePointAt(i));
      }
      i += key.length;
      if (this.#editor) this.#editKey(key);
      else this.#programKey(key);
    }
  }

  #editKey(key) {
    const e = this.#editor;
    const name = KEYS[key];
    if (key === '\r') {
      this.#term.write('\r\n');
      this.#editor = null;
      if (e.text.trim() && e.text !== this.#history.at(-1)) this.#history.push(e.text);
      e.resolve(e.text);
      return;
    }
    if (key === '\x03') { // Ctrl+C: abandon the line
      this.#term.write('^C\r\n');
      Object.assign(e, { text: '', cursor: 0, historyAt: this.#history.length });
      this.#term.write(e.prompt);
      return;
    }
    if (key === '\x0c') { // Ctrl+L
      this.#term.clear();
      this.#term.write('\x1b[2K\r');
    } else if (key === '\x7f' || key === '\b') {
      if (e.cursor > 0) {
        e.text = e.text.slice(0, e.cursor - 1) + e.text.slice(e.cursor);
        e.cursor--;
      }
    } else if (name === 'delete') {
      e.text = e.text.slice(0, e.cursor) + e.text.slice(e.cursor + 1);
    } else if (name === 'left') {
      e.cursor = Math.max(0, e.cursor - 1);
    } else if (name === 'right') {
      e.cursor = Math.min(e.text.length, e.cursor + 1);
    } else if (name === 'home' || key === '\x01') {
      e.cursor = 0;
    } else if (name === 'end' || key === '\x05') {
      e.cursor = e.text.length;
    } else if (key === '\x15') { // Ctrl+U
      e.text = e.text.slice(e.cursor);
      e.cursor = 0;
    } else if (name === 'up' || name === 'down') {
      if (e.historyAt === this.#history.length) e.draft = e.text;
      const at = Math.max(0, Math.min(this.#history.length, e.historyAt + (name === 'up' ? -1 : 1)));
      e.historyAt = at;
      e.text = at === this.#history.length ? e.draft : this.#history[at];
      e.cursor = e.text.length;
    } else if (key >= ' ' && key !== '\x7f' && !key.startsWith('\x1b')) {
      e.text = e.text.slice(0, e.cursor) + key + e.text.slice(e.cursor);
      e.cursor += key.length;
    } else {
      return; // other control keys do nothing
    }
    this.#redraw();
  }

  #redraw() {
    const e = this.#editor;
    const back = e.text.length - e.cursor;
    this.#term.write(`\r${e.prompt}${e.text}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`);
  }

  #programKey(key) {
    if (key === '\x03') {
      this.#term.write('^C\r\n');
      this.onInterrupt();
    } else if (key === '\r') {
      this.#term.write('\r\n');
      this.#deliver(encoder.encode(`${this.#cooked}\n`));
      this.#cooked = '';
    } else if (key === '\x04') { // Ctrl+D
      this.#deliver(this.#cooked ? encoder.encode(this.#cooked) : null);
      this.#cooked = '';
    } else if (key === '\x7f' || key === '\b') {
      if (this.#cooked) {
        this.#cooked = [...this.#cooked].slice(0, -1).join('');
        this.#term.write('\b \b');
      }
    } else if (key >= ' ' && !key.startsWith('\x1b')) {
      this.#cooked += key;
      this.#term.write(key);
    }
  }

  #deliver(chunk) {
    if (this.#waiter) {
      const { resolve, max } = this.#waiter;
      this.#waiter = null;
      resolve(this.#take(chunk, max));
    } else {
      this.#ready.push(chunk);
    }
  }

  // Returns up to `max` bytes of `chunk`, keeping the rest for the next read.
  #take(chunk, max) {
    if (chunk === null || chunk.length <= max) return chunk;
    this.#ready.unshift(chunk.subarray(max));
    return chunk.subarray(0, max);
  }

  #read(max) {
    if (this.#ready.length > 0) return this.#take(this.#ready.shift(), max);
    return new Promise((resolve) => { this.#waiter = { resolve, max }; });
  }
}
