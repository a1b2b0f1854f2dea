// Runs one module's exports in Node and prints what they did as JSON on stdout
// (module-runner.mjs):
//   node run-module.mjs MODULE.wasm plain|pause
import { readFileSync } from 'node:fs';
import { runModule } from './module-runner.mjs';

const [file, mode] = process.argv.slice(2);
console.log(JSON.stringify(await runModule(new Uint8Array(readFileSync(file)), mode)));
