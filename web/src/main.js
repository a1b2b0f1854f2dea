// Starts the page: the terminal, the file system (OPFS at /sandbox), the programs, the backend
// switch, and window.__shell, a small hook through which tests read the screen and the state.
import { Terminal } from '../xterm/xterm.mjs';
import { Console } from './console.js';
import { FileSystem } from './filesystem.js';
import { BACKENDS, Programs, availableBackends } from './programs.js';
import { Shell } from './shell.js';

// Files put in a new /sandbox so that a first visit has something to try.
const SAMPLES = {
  'README.txt': 'Files in /sandbox live in your browser\'s private storage and survive a reload.\n'
    + 'Try: ls -l, cat README.txt | wc, calc fib.calc, sort fruit.txt | uniq -c\n',
  'fruit.txt': 'pear\napple\nfig\napple\nkiwi\npear\napple\n',
  'fib.calc': 'def fib(n) { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }\n'
    + 'i = 0\nwhile i <= 20 { print "fib", i, "=", fib(i); i = i + 5 }\n',
};

async function seed(fs) {
  if (localStorage.getItem('shell.seeded')) return;
  for (const [name, content] of Object.entries(SAMPLES)) {
    await fs.writeFile(`/sandbox/${name}`, new TextEncoder().encode(content));
  }
  localStorage.setItem('shell.seeded', '1');
}

function screenText(term) {
  const buffer = term.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    const content = line.translateToString(true);
    if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += content;
    else lines.push(content);
  }
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines.join('\n');
}

async function main() {
  const term = new Terminal({
    convertEol: true, cursorBlink: true, cols: 100, rows: 30, scrollback: 5000,
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 14,
    theme: { background: '#1b1d23', foreground: '#d8dee9' },
  });
  term.open(document.getElementById('terminal'));
  term.focus();

  const fs = new FileSystem();
  const persistent = await fs.mountSandbox();
  if (persistent) await seed(fs);
  const programs = await Programs.load();
  const backends = availableBackends();
  const wanted = new URLSearchParams(location.search).get('backend') ?? localStorage.getItem('shell.backend');
  const console_ = new Console(term);
  const shell = new Shell({ console: console_, fs, programs, backend: backends.includes(wanted) ? wanted : backends[0] });

  // The backend switch: one radio button per backend; JSPI is disabled where the engine lacks it.
  const status = document.getElementById('status');
  const radios = document.querySelectorAll('input[name=backend]');
  const showBackend = () => {
    for (const radio of radios) radio.checked = radio.value === shell.backend;
  };
  shell.onBackendChange = (name) => {
    if (!backends.includes(name)) return false;
    shell.backend = name;
    localStorage.setItem('shell.backend', name);
    showBackend();
    return true;
  };
  for (const radio of radios) {
    radio.disabled = !backends.includes(radio.value);
    if (radio.disabled) radio.parentElement.title = 'this browser has no JavaScript Promise Integration';
    radio.addEventListener('change', () => { shell.onBackendChange(radio.value); term.focus(); });
  }
  showBackend();

  let completed = 0;
  let last = null;
  shell.onCommand = (record) => {
    completed++;
    last = record;
    status.title = status.textContent = `${record.line}  ->  exit ${record.status}, ${record.ms.toFixed(1)} ms with ${BACKENDS[record.backend].label}`;
  };

  window.__shell = {
    text: () => screenText(term),
    get status() { return shell.vars['?']; },
    get completed() { return completed; },
    get last() { return last; },
    get cwd() { return shell.cwd; },
    get backend() { return shell.backend; },
    backends,
    setBackend: (name) => shell.onBackendChange(name),
  };

  term.write('\x1b[1mWASI shell\x1b[0m: real programs compiled to WebAssembly, on real files. Type \x1b[1mhelp\x1b[0m.\n');
  if (!persistent) term.write('\x1b[33mThis browser has no origin-private file system: /sandbox will not be kept.\x1b[0m\n');
  document.body.dataset.ready = 'true';
  await shell.loop();
}

main().catch((error) => {
  document.getElementById('status').textContent = `failed to start: ${error.message}`;
  throw error;
});
