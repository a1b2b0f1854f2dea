// The shell: reads a line, parses it, runs built-ins and WASI programs with pipes and
// redirections, and keeps $? and the working directory. Pipeline stages run one after another;
// each stage's output is collected and becomes the next stage's input.
import { parse } from './parse.js';
import { resolvePath } from './filesystem.js';
import { BACKENDS } from './programs.js';

const encoder = new TextEncoder();
const HOME = '/sandbox';

/** An output stream that keeps what is written. */
function collector() {
  const chunks = [];
  return {
    write(bytes) { chunks.push(bytes.slice()); },
    bytes() {
      const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) { out.set(c, at); at += c.length; }
      return out;
    },
  };
}

const text = (stream, value) => stream.write(encoder.encode(value));

export class Shell {
  #console;
  #fs;
  #programs;
  #controller = null; // the running program's AbortController
  cwd = HOME;
  vars = { '?': 0, HOME, USER: 'user' };
  backend;
  /** Called after each command line: {line, status, ms, backend, engine (the runtime's backend)}. */
  onCommand = () => {};
  onBackendChange = () => {};

  constructor({ console, fs, programs, backend }) {
    this.#console = console;
    this.#fs = fs;
    this.#programs = programs;
    this.backend = backend;
    this.terminal = { write: (bytes) => console.write(bytes) };
    // Error output in red; programs write whole messages, so colouring each write is enough.
    this.errors = { write: (bytes) => { console.write('\x1b[31m'); console.write(bytes); console.write('\x1b[0m'); } };
    console.onInterrupt = () => this.#controller?.abort(new Error('interrupted'));
  }

  prompt() { return `\x1b[1;34m${this.cwd}\x1b[0m $ `; }

  async loop() {
    for (;;) await this.execute(await this.#console.readLine(this.prompt()));
  }

  /** Runs one command line; resolves to the last status. */
  async execute(line) {
    const started = performance.now();
    this.#programs.lastEngine = null;
    let commands;
    try {
      commands = parse(line, { ...this.vars, PWD: this.cwd });
    } catch (error) {
      text(this.errors, `sh: ${error.message}\n`);
      commands = null;
      this.vars['?'] = 2;
    }
    for (const { stages } of commands ?? []) {
      const { status, interrupted } = await this.#pipeline(stages);
      this.vars['?'] = status;
      if (interrupted) break;
    }
    const status = this.vars['?'];
    if (line.trim()) this.onCommand({ line, status, ms: performance.now() - started, backend: this.backend, engine: this.#programs.lastEngine });
    return status;
  }

  async #pipeline(stages) {
    let previous = null;
    let status = 0;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      const last = i === stages.length - 1;
      let stdin = i > 0 ? previous : this.#console.input;
      if (stage.input) {
        try {
          stdin = await this.#fs.readFile(resolvePath(this.cwd, stage.input));
        } catch (error) {
          text(this.errors, `sh: ${stage.input}: ${error.code ?? error.message}\n`);
          return { status: 1 };
        }
      }
      const out = last && !stage.output ? this.terminal : collector();
      const controller = new AbortController();
      status = await this.#run(stage.argv, stdin, out, controller);
      if (controller.signal.aborted) return { status: 130, interrupted: true };
      if (stage.output) {
        try {
          await this.#fs.writeFile(resolvePath(this.cwd, stage.output.path), out.bytes(), { append: stage.output.append });
        } catch (error) {
          text(this.errors, `sh: ${stage.output.path}: ${error.code ?? error.message}\n`);
          status = 1;
        }
      }
      previous = stage.output ? new Uint8Array(0) : out.bytes?.();
    }
    return { status };
  }

  async #run(argv, stdin, stdout, controller) {
    const builtin = BUILTINS[argv[0]];
    if (builtin) return builtin.run.call(this, argv, stdout);
    if (!this.#programs.has(argv[0])) {
      text(this.errors, `${argv[0]}: command not found (try help)\n`);
      return 127;
    }
    this.#controller = controller;
    try {
      return await this.#programs.run({
        argv, backend: this.backend, env: { ...this.vars, PWD: this.cwd, SHELL_STDOUT: stdout === this.terminal ? 'terminal' : 'pipe' }, preopens: this.#fs.preopens(),
        stdin, stdout, stderr: this.errors, signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) return 130;
      text(this.errors, `${argv[0]}: ${error.message}\n`);
      return 1;
    } finally {
      this.#controller = null;
      if (stdin === this.#console.input) this.#console.resetInput();
    }
  }

  get fs() { return this.#fs; }
  get programs() { return this.#programs; }
  get console() { return this.#console; }
}

// Built-ins run in the page. `this` is the shell; each returns an exit status.
const BUILTINS = {
  help: {
    summary: 'this list',
    run(argv, out) {
      const lines = ['Built-in commands:'];
      for (const [name, b] of Object.entries(BUILTINS)) lines.push(`  ${name.padEnd(9)} ${b.summary}`);
      lines.push('', `Programs (WASI, run with ${BACKENDS[this.backend].label}):`, `  ${this.programs.names().join(' ')}`, '',
        'Syntax: cmd args | cmd > file, >> file, < file, a ; b, "quotes", $? (last status)',
        'Keys: Up/Down history, Ctrl+C interrupts, Ctrl+D ends input, Ctrl+L clears.',
        'Files under /sandbox are kept by the browser; /tmp lasts until the page is closed.',
        'calc is a small language: try  calc  then  def sq(x) { return x * x }  and  sq(12)');
      text(out, `${lines.join('\n')}\n`);
      return 0;
    },
  },
  cd: {
    summary: 'change directory (default /sandbox)',
    async run(argv) {
      const target = resolvePath(this.cwd, argv[1] ?? HOME);
      if (!(await this.fs.isDirectory(target))) {
        text(this.errors, `cd: ${argv[1]}: not a directory\n`);
        return 1;
      }
      this.cwd = target;
      return 0;
    },
  },
  pwd: {
    summary: 'print the working directory',
    run(argv, out) {
      text(out, `${this.cwd}\n`);
      return 0;
    },
  },
  mount: {
    summary: 'pick a folder of your computer, mounted at /mnt/NAME (mount -l lists)',
    async run(argv, out) {
      if (argv[1] === '-l') {
        text(out, `${this.fs.mountPoints().join('\n')}\n`);
        return 0;
      }
      if (typeof window.showDirectoryPicker !== 'function') {
        text(this.errors, 'mount: this browser cannot open local folders (no showDirectoryPicker)\n');
        return 1;
      }
      try {
        const handle = await window.showDirectoryPicker({ mode: 'readwrite' });
        const point = await this.fs.mountHandle(handle);
        text(out, `mounted ${handle.name} at ${point}\n`);
        return 0;
      } catch (error) {
        text(this.errors, `mount: ${error.message}\n`);
        return 1;
      }
    },
  },
  backend: {
    summary: 'show or choose how programs pause: backend [jspi|asyncify]',
    run(argv, out) {
      if (argv[1]) {
        if (!BACKENDS[argv[1]]) {
          text(this.errors, `backend: choose ${Object.keys(BACKENDS).join(' or ')}\n`);
          return 2;
        }
        if (!this.onBackendChange(argv[1])) {
          text(this.errors, `backend: ${argv[1]} is not available in this browser\n`);
          return 1;
        }
      }
      text(out, `${BACKENDS[this.backend].label}\n`);
      return 0;
    },
  },
  history: {
    summary: 'list earlier command lines',
    run(argv, out) {
      const lines = this.console.history().map((l, i) => `${String(i + 1).padStart(4)}  ${l}`);
      text(out, lines.length ? `${lines.join('\n')}\n` : '');
      return 0;
    },
  },
  clear: {
    summary: 'clear the screen',
    run() {
      this.console.write('\x1b[H\x1b[2J\x1b[3J');
      return 0;
    },
  },
};
