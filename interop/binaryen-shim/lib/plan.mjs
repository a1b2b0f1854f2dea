// Splits a `wasm-opt` command line around `--asyncify` into stages.
//
// wasm-opt runs its passes in command-line order inside one process; every other flag is a
// global setting (features, -g, optimisation assumptions, pass arguments). To put our own
// transform in place of the `--asyncify` pass we run:
//   real wasm-opt [passes before --asyncify] -> our tool -> real wasm-opt [passes after]
// Each real run receives every global setting, so the passes around the asyncify step behave as
// in the single process. Intermediate files always keep the name section (-g): asyncify's
// function lists match names, and wasm-opt drops names on write without -g. Only the last run
// writes what the user asked for (-o, -S, source map, -g or not).
//
// The planner is pure: it takes the arguments and a predicate telling which `--name` is a
// pass of the real wasm-opt (read from its --help), and returns the stages to run.

// Options that consume the next argument when written without `=` (Binaryen 108 and later).
const VALUE_OPTIONS = new Set([
  '--output', '-o', '--extra-fuzz-command', '-efc', '--initial-fuzz', '-if',
  '--emit-js-wrapper', '-ejw', '--emit-spec-wrapper', '-esw', '--emit-wasm2c-wrapper',
  '--input-source-map', '-ism', '--output-source-map', '-osm', '--output-source-map-url', '-osu',
  '--optimize-level', '-ol', '--shrink-level', '-s',
  '--always-inline-max-function-size', '-aimfs', '--flexible-inline-max-function-size', '-fimfs',
  '--one-caller-inline-max-function-size', '-ocimfs', '--partial-inlining-ifs', '-pii',
  '--pass-arg', '-pa',
]);

// Settings that only concern what the last run writes.
const OUTPUT_OPTIONS = new Set([
  '--output', '-o', '--emit-text', '-S', '--output-source-map-url', '-osu',
  '--emit-js-wrapper', '-ejw', '--emit-spec-wrapper', '-esw', '--emit-wasm2c-wrapper',
]);

const SOURCE_MAP_OPTIONS = new Set(['--input-source-map', '-ism', '--output-source-map', '-osm']);

// A command line that only asks for information goes to the real tool untouched.
const INFO_OPTIONS = new Set(['--help', '-h', '--version']);

// -O flags are passes (the default pipeline at that position) that also set the global levels.
const OPT_FLAGS = {
  '-O': [2, 1], '-O0': [0, 0], '-O1': [1, 0], '-O2': [2, 0], '-O3': [3, 0], '-O4': [4, 0],
  '-Os': [2, 1], '-Oz': [2, 2],
};

export class PlanError extends Error {}

// Splits argv into tokens: {name, value, raw} for options, {positional} for the rest.
export function tokenize(argv) {
  const tokens = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      tokens.push({ positional: arg, raw: [arg] });
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      tokens.push({ name: arg.slice(0, eq), value: arg.slice(eq + 1), raw: [arg] });
    } else if (VALUE_OPTIONS.has(arg)) {
      if (i + 1 >= argv.length) throw new PlanError(`option ${arg} needs a value`);
      tokens.push({ name: arg, value: argv[i + 1], raw: [arg, argv[i + 1]] });
      i++;
    } else {
      tokens.push({ name: arg, value: undefined, raw: [arg] });
    }
  }
  return tokens;
}

function isAsyncifyPassArg(token) {
  return (token.name === '--pass-arg' || token.name === '-pa') && token.value.startsWith('asyncify-');
}

// Returns {passthrough: true} or {input, output, stages, levels}.
// Each stage is {tool: 'real', args, passes} or {tool: 'asyncify', passArgs, optFlag, globals,
// levelArgs} (the last two serve the Binaryen stand-in). The caller chains the stages' files:
// `args` exclude input and output.
export function planCommand(argv, isPass) {
  if (!argv.includes('--asyncify')) return { passthrough: true };
  const tokens = tokenize(argv);
  if (tokens.some((t) => INFO_OPTIONS.has(t.name))) return { passthrough: true };

  const positionals = tokens.filter((t) => t.positional !== undefined);
  if (positionals.length !== 1) {
    // No input file (e.g. -ttf) or several: nothing to split, let wasm-opt decide.
    return { passthrough: true };
  }
  if (tokens.some((t) => SOURCE_MAP_OPTIONS.has(t.name))) {
    throw new PlanError('source maps are not carried across the asyncify step; drop ' +
      '--input-source-map/--output-source-map or run without --asyncify');
  }

  const segments = [[]];          // passes between --asyncify occurrences
  const globals = [];             // settings every real run needs
  const outputArgs = [];          // settings only the last run needs
  const asyncifyPassArgs = [];
  let output;
  let debugInfo = false;
  let levels;
  let lastOptFlag;

  for (const t of tokens) {
    if (t.positional !== undefined) continue;
    if (t.name === '--asyncify') {
      segments.push([]);
    } else if (t.name in OPT_FLAGS) {
      levels = [...OPT_FLAGS[t.name]];
      lastOptFlag = t.name;
      segments[segments.length - 1].push(...t.raw);
    } else if (t.name === '--optimize-level' || t.name === '-ol') {
      levels = [Number(t.value), levels ? levels[1] : 0];
    } else if (t.name === '--shrink-level' || t.name === '-s') {
      levels = [levels ? levels[0] : 0, Number(t.value)];
    } else if (t.name === '--debuginfo' || t.name === '-g') {
      debugInfo = true;
    } else if (t.name === '--output' || t.name === '-o') {
      output = t.value;
    } else if (OUTPUT_OPTIONS.has(t.name)) {
      outputArgs.push(...t.raw);
    } else if (isAsyncifyPassArg(t)) {
      asyncifyPassArgs.push(`--pass-arg=${t.value}`);
    } else if (t.name.startsWith('--') && t.value === undefined && isPass(t.name.slice(2))) {
      segments[segments.length - 1].push(...t.raw);
    } else {
      globals.push(...t.raw);
    }
  }

  const levelArgs = levels ? ['--optimize-level', String(levels[0]), '--shrink-level', String(levels[1])] : [];
  const stages = [];
  segments.forEach((passes, i) => {
    const last = i === segments.length - 1;
    if (i > 0) {
      stages.push({ tool: 'asyncify', passArgs: asyncifyPassArgs, optFlag: lastOptFlag, debugInfo, globals, levelArgs });
    }
    // A real run with no passes is still needed last: it applies the user's -g choice and output
    // format, since intermediate files carry names.
    if (passes.length === 0 && !last) return;
    const args = [...globals, ...passes, ...levelArgs];
    // wasm-opt warns when it runs no pass; here that is intended.
    if (passes.length === 0 && !globals.includes('--quiet') && !globals.includes('-q')) args.push('--quiet');
    if (!last || debugInfo) args.push('-g');
    if (last) args.push(...outputArgs);
    stages.push({ tool: 'real', args, passes });
  });

  return { input: positionals[0].positional, output, stages, levels };
}
