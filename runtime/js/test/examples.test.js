// The three example programs, built, transformed and run by `node examples/run.mjs NAME` with
// every available transformer.
import '../../../tests/exec/lib/keep-alive.mjs';  // see there: Node 20 can hang when a test's event loop runs empty
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as check from './check.mjs';
import { transformers } from '../scripts/toolchain.mjs';

const runner = fileURLToPath(new URL('../../../examples/run.mjs', import.meta.url));

/** Runs an example; returns stdout and the time each chunk arrived. */
function runExample(name, tool) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, name, '--tool', tool], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (data) => chunks.push({ at: Date.now(), text: String(data) }));
    child.stderr.on('data', (data) => { stderr += data; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, chunks, stdout: chunks.map((c) => c.text).join('') }));
  });
}

for (const { name: tool } of transformers()) {
  test(`example sleep (${tool}): A, then B after the sleep`, async () => {
    const { code, stdout, chunks, stderr } = await runExample('sleep', tool);
    check.equal(code, 0, `exit code (${stderr})`);
    check.equal(stdout, 'A\nB\n', 'output');
    const a = chunks.find((c) => c.text.includes('A'));
    const b = chunks.find((c) => c.text.includes('B'));
    check.ok(b.at - a.at >= 400, `B printed ${b.at - a.at} ms after A (sleep is 500 ms)`);
  });

  test(`example answer (${tool}): the Promise's value reaches C`, async () => {
    const { code, stdout, stderr } = await runExample('answer', tool);
    check.equal(code, 0, `exit code (${stderr})`);
    check.equal(stdout, 'Waiting for the answer...\nThe answer is 42.\n', 'output');
  });

  test(`example greet (${tool}): the name comes from a file read asynchronously`, async () => {
    const { code, stdout, stderr } = await runExample('greet', tool);
    check.equal(code, 0, `exit code (${stderr})`);
    check.equal(stdout, 'Hello, World of WebAssembly!\n', 'output');
  });
}
