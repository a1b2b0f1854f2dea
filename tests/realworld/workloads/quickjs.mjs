// QuickJS (a JavaScript engine compiled by Emscripten, through quickjs-emscripten): a program
// with recursion, closures, exceptions, regular expressions, JSON and sorting runs in the VM and
// calls back into the host from deep inside the interpreter, so pauses land mid-bytecode.
import { createRequire } from 'node:module';
import { report } from './common.mjs';

const require = createRequire(`${process.argv[2]}/`);
const { newQuickJSWASMModuleFromVariant } = require('quickjs-emscripten-core');
const variant = require('@jitl/quickjs-wasmfile-release-sync');
const QuickJS = await newQuickJSWASMModuleFromVariant(variant.default ?? variant);
const vm = QuickJS.newContext();
const calls = [];
const host = vm.newFunction('host', (label, value) => {
  const v = vm.getNumber(value);
  calls.push(`${vm.getString(label)}:${v}`);
  return vm.newNumber(v * 3 + 1);
});
vm.setProp(vm.global, 'host', host);
host.dispose();
const program = `
  const fib = (n) => (n < 2 ? host('fib', n) : fib(n - 1) + fib(n - 2));
  const counters = Array.from({ length: 5 }, (_, i) => { let c = i; return () => (c = host('count', c)); });
  let thrown = [];
  for (let i = 0; i < 6; i++) {
    try { if (host('try', i) % 2) throw new RangeError('odd ' + i); thrown.push('even ' + i); }
    catch (e) { thrown.push(e.name + ': ' + e.message); }
    finally { host('finally', i); }
  }
  const words = 'the quick brown fox jumps over the lazy dog again and again'.split(' ');
  const sorted = words.slice().sort((a, b) => host('cmp', a.length - b.length) - host('cmp', 0) || (a < b ? -1 : a > b ? 1 : 0));
  const matched = 'a1b22c333d4444'.replace(/(\\d+)/g, (m) => String(host('re', m.length)));
  const json = JSON.stringify({ fib: fib(12), counts: counters.map((f) => [f(), f()]), thrown, sorted, matched });
  JSON.parse(json).fib + ':' + json.length + ':' + json;
`;
const result = vm.unwrapResult(vm.evalCode(program));
const value = vm.getString(result);
result.dispose();
vm.dispose();
report({ value, calls: calls.length, firstCalls: calls.slice(0, 40), lastCalls: calls.slice(-20) });
