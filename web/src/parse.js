// Command-line parsing: words with '...' and "..." quoting, backslash escapes, $VAR and $?
// expansion, pipes (|), redirections (<, >, >>) and sequences (;).
//
// parse(line, vars) -> [{stages: [{argv, input?, output?: {path, append}}]}]; throws SyntaxError.

const OPERATORS = ['>>', '|', '>', '<', ';'];

function tokenize(line, vars) {
  const tokens = [];
  let word = null; // the word being built, null between words
  const expand = (text, at) => {
    if (text[at + 1] === '?') return { value: String(vars['?'] ?? 0), length: 2 };
    const name = /^[A-Za-z_]\w*/.exec(text.slice(at + 1))?.[0];
    if (!name) return { value: '$', length: 1 };
    return { value: vars[name] ?? '', length: name.length + 1 };
  };
  for (let i = 0; i < line.length;) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      if (word !== null) tokens.push({ word });
      word = null;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError('unterminated quote');
      word = (word ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      word ??= '';
      i++;
      for (;;) {
        if (i >= line.length) throw new SyntaxError('unterminated quote');
        if (line[i] === '"') { i++; break; }
        if (line[i] === '\\' && i + 1 < line.length && '"\\$'.includes(line[i + 1])) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === '$') {
          const { value, length } = expand(line, i);
          word += value;
          i += length;
        } else {
          word += line[i++];
        }
      }
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[i + 1];
      i += 2;
    } else if (c === '$') {
      const { value, length } = expand(line, i);
      word = (word ?? '') + value;
      i += length;
    } else {
      const op = OPERATORS.find((o) => line.startsWith(o, i));
      if (op) {
        if (word !== null) tokens.push({ word });
        word = null;
        tokens.push({ op });
        i += op.length;
      } else {
        word = (word ?? '') + c;
        i++;
      }
    }
  }
  if (word !== null) tokens.push({ word });
  return tokens;
}

export function parse(line, vars = {}) {
  const commands = [];
  let stages = [];
  let stage = { argv: [] };
  const endStage = () => {
    if (stage.argv.length === 0) throw new SyntaxError('missing command');
    stages.push(stage);
    stage = { argv: [] };
  };
  const tokens = tokenize(line, vars);
  for (let i = 0; i < tokens.length; i++) {
    const { word, op } = tokens[i];
    if (word !== undefined) {
      stage.argv.push(word);
    } else if (op === '|') {
      endStage();
    } else if (op === ';') {
      if (stage.argv.length > 0 || stages.length > 0) endStage();
      if (stages.length > 0) commands.push({ stages });
      stages = [];
    } else {
      const target = tokens[++i]?.word;
      if (target === undefined) throw new SyntaxError(`missing file name after ${op}`);
      if (op === '<') stage.input = target;
      else stage.output = { path: target, append: op === '>>' };
    }
  }
  if (stage.argv.length > 0 || stages.length > 0) endStage();
  if (stages.length > 0) commands.push({ stages });
  return commands;
}
