// The calls made into the Rust example and the host imports it uses. The same scenario runs on
// the untransformed module with synchronous imports (the oracle) and on every transformed
// module with asynchronous imports; the results and the host log must match.

// The host's answers: a fixed sequence, so every pause must resume with the right value.
export function makeHost({ async }) {
  let calls = 0;
  const log = [];
  const nextAnswer = () => 42 + ((calls++ * 7) % 11);
  const env = {
    get_answer: async
      ? () => new Promise((resolve) => {
        const answer = nextAnswer();
        // Alternate a macrotask and a microtask resumption.
        if (calls % 2) setTimeout(() => resolve(answer), 0); else queueMicrotask(() => resolve(answer));
      })
      : nextAnswer,
    log_value: (tag, value) => { log.push(`${tag}:${value}`); },
  };
  return { imports: { env }, log, answersGiven: () => calls };
}

export const CALLS = [
  ['answer_plus_one'],
  ['collect_answers', 6],
  ['nested_answers', 10],
  ['no_pause', 100],
  ['collect_answers', 3],
  ['answer_plus_one'],
];

// Runs CALLS one after another through `call(name, args)` (sync or async) and reports everything
// observable.
export async function runScenario(call, host) {
  const results = [];
  for (const [name, ...args] of CALLS) results.push(`${name}(${args.join(',')})=${await call(name, args)}`);
  return { results, log: host.log, answers: host.answersGiven() };
}
