// Runs the examples in a page. `?run=all&backend=jspi` runs them at load and stores the
// outputs in window.exampleResults (used by the browser test).
import { hasJspi } from '../runtime/js/index.js';
import { EXAMPLES, runExample } from './host.mjs';

const output = document.getElementById('output');
const backendSelect = document.getElementById('backend');
if (!hasJspi()) backendSelect.querySelector('[value=jspi]').disabled = true;
else backendSelect.value = 'jspi';

async function run(name, backend) {
  const file = backend === 'jspi' ? `build/plain/${name}.wasm` : `build/${name}.wasm`;
  const response = await fetch(new URL(file, import.meta.url));
  if (!response.ok) throw new Error(`${file}: ${response.status} (run: node examples/run.mjs all --build-only)`);
  let text = '';
  const code = await runExample(await response.arrayBuffer(), {
    backend,
    write: (fd, chunk) => { text += chunk; output.textContent += chunk; },
    readFile: async (path) => {
      const file = await fetch(new URL(path, import.meta.url));
      if (!file.ok) throw new Error(`${path}: ${file.status}`);
      return new Uint8Array(await file.arrayBuffer());
    },
  });
  output.textContent += `[exit ${code}]\n`;
  return { name, backend, code, text };
}

for (const button of document.querySelectorAll('button[data-example]')) {
  button.addEventListener('click', async () => {
    output.textContent = '';
    try {
      await run(button.dataset.example, backendSelect.value);
    } catch (error) {
      output.textContent += `error: ${error.message}\n`;
    }
  });
}

const params = new URLSearchParams(location.search);
if (params.get('run') === 'all') {
  const backend = params.get('backend') ?? backendSelect.value;
  (async () => {
    const results = [];
    for (const name of EXAMPLES) results.push(await run(name, backend));
    return results;
  })().then((results) => { window.exampleResults = results; },
    (error) => { window.exampleResults = { error: String(error?.stack ?? error) }; });
}
