// Generates random but always-terminating WAT programs for differential runs: structured control
// flow (if/else, counted loops, blocks left by br_if, guards on locals that change later,
// br_table switches), expressions with calls nested anywhere (so i32, i64, f64 and v128 values
// wait on the stack across pauses), direct and indirect calls to later functions, loads and
// stores, and the pausing import `env.next` sprinkled through all of it.
//
// Termination: functions call only functions with a higher index, loops count to at most 4, and
// a global fuel counter, decremented on entry, makes a function return at once when empty (so the
// number of calls, and of pauses, stays bounded whatever the nesting).

// A small deterministic PRNG (mulberry32), so that a seed names a program.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOCALS = ['$a', '$b', '$c', '$d'];

// main calls $f0; an exception that leaves it becomes main's result (its payload, or -999).
const MAIN_BODY = {
  none: '(call $f0 (local.get 0) (local.get 1))',
  legacy: '(try (result i32) (do (call $f0 (local.get 0) (local.get 1))) (catch $oops) (catch_all (i32.const -999)))',
  exnref: `(block $caught (result i32)
      (block $any
        (try_table (catch $oops $caught) (catch_all $any) (return (call $f0 (local.get 0) (local.get 1)))))
      (i32.const -999))`,
};

// `exceptions` adds throws of an i32 payload and handlers around statements; the handlers run
// statements of their own, so they pause, call, throw and loop too:
//   'legacy': try/catch/catch_all, a catch_all handler sometimes ending in rethrow;
//   'exnref': try_table with catch, catch_ref, catch_all and catch_all_ref clauses to blocks
//             around it, the caught exnref kept in a local across the handler's pauses and
//             sometimes thrown again with throw_ref.
// `gc: true` adds a struct, an array, an anyref and an i31 to every function: references in
// nullable and non-nullable locals and on the operand stack under pausing calls, objects
// changed and compared for identity (ref.eq) after pauses. Binaryen's wasm-as assembles those.
export function randomProgram(seed, { functions = 5, fuel = 60, exceptions = null, gc = false } = {}) {
  const random = prng(seed);
  let labels = 0; // unique handler labels
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (p) => random() < p;
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

  function expr(self, depth) {
    if (depth <= 0 || chance(0.25)) {
      return chance(0.5) ? `(local.get ${pick(LOCALS)})` : `(i32.const ${int(-50, 1000)})`;
    }
    const sub = () => expr(self, depth - 1);
    const later = self + 1 < functions ? int(self + 1, functions - 1) : -1;
    if (gc && chance(0.3)) return gcExpr(sub);
    switch (int(0, 17)) {
      case 0: case 1:
        return `(${pick(['i32.add', 'i32.sub', 'i32.mul', 'i32.xor', 'i32.and', 'i32.or', 'i32.shr_u', 'i32.rotl'])} ${sub()} ${sub()})`;
      case 2: case 3:
        return `(call $next ${sub()})`;
      case 4:
        return later < 0 ? `(call $next ${sub()})` : `(call $f${later} ${sub()} ${sub()})`;
      case 5:
        return later < 0 ? sub() : `(call_indirect (type $fn) ${sub()} ${sub()} (i32.const ${later}))`;
      case 6:
        return `(select ${sub()} ${sub()} ${sub()})`;
      case 7:
        return `(if (result i32) ${sub()} (then ${sub()}) (else ${sub()}))`;
      case 8:
        return `(block (result i32) ${sub()})`;
      case 9:
        return `(i32.wrap_i64 (i64.add (local.get $w) (i64.extend_i32_s ${sub()})))`;
      case 10: // an f64 waiting on the stack
        return `(i32.trunc_sat_f64_s (f64.add (f64.convert_i32_s ${sub()}) (f64.mul (f64.const 0.5) (f64.convert_i32_u ${sub()}))))`;
      case 11: // a v128 waiting on the stack
        return `(i32x4.extract_lane ${int(0, 3)} (i32x4.add (i32x4.splat ${sub()}) (i32x4.splat ${sub()})))`;
      case 12: // br_if carrying a value out of a block
        return `(block $v (result i32) (drop (br_if $v ${sub()} ${sub()})) ${sub()})`;
      case 13:
        return `(i32.wrap_i64 (i64.mul (i64.extend_i32_s ${sub()}) (i64.extend_i32_u ${sub()})))`;
      case 14:
        return `(local.tee ${pick(LOCALS)} ${sub()})`;
      case 15: // a block with two results
        return `(${pick(['i32.sub', 'i32.xor'])} (block (result i32 i32) ${sub()} ${sub()}))`;
      case 16:
        return `(loop (result i32) ${sub()})`;
      default:
        return `(i32.load (i32.and ${sub()} (i32.const 0xfffc)))`;
    }
  }

  function statements(self, depth, loops) {
    const out = [];
    for (let n = int(1, 3); n > 0; n--) out.push(statement(self, depth, loops));
    return out.join('\n');
  }

  function statement(self, depth, loops) {
    const e = () => expr(self, 3);
    if (gc && chance(0.25)) return gcStatement(() => expr(self, 3));
    const kind = depth <= 0 ? int(0, 2) : int(0, exceptions ? 13 : 9);
    switch (kind) {
      case 0:
        return `(local.set ${pick(LOCALS)} ${e()})`;
      case 1:
        return `(local.set $w (i64.add (i64.mul (local.get $w) (i64.const 31)) (i64.extend_i32_u ${e()})))`;
      case 2:
        return `(call $print ${e()})`;
      case 3:
        return `(if ${e()} (then ${statements(self, depth - 1, loops)}) (else ${statements(self, depth - 1, loops)}))`;
      case 4: {
        if (loops >= 2) return `(local.set ${pick(LOCALS)} ${e()})`;
        const counter = `$i${loops}`;
        return `(local.set ${counter} (i32.const 0))
          (loop $loop${loops}
            ${statements(self, depth - 1, loops + 1)}
            (local.set ${counter} (i32.add (local.get ${counter}) (i32.const 1)))
            (br_if $loop${loops} (i32.lt_u (local.get ${counter}) (i32.const ${int(1, 4)}))))`;
      }
      case 5:
        return `(block $out ${statements(self, depth - 1, loops)} (br_if $out ${e()}) ${statements(self, depth - 1, loops)})`;
      case 6:
        return `(block $s2 (block $s1 (block $s0
            (br_table $s0 $s1 $s2 (i32.rem_u ${e()} (i32.const 3))))
            ${statements(self, depth - 1, loops)} (br $s2))
            ${statements(self, depth - 1, loops)})`;
      case 7:
        return `(i32.store (i32.and ${e()} (i32.const 0xfffc)) ${e()})`;
      case 8:
        return `(if (i32.eqz (i32.and ${e()} (i32.const 7))) (then (return ${e()})))`;
      case 9: { // a guard on a local, a block, then the local changes: a C `if (x == k) break;`
        const local = pick(LOCALS);
        const test = pick([`(i32.eq (local.get ${local}) (i32.const ${int(0, 9)}))`,
          `(i32.gt_s (local.get ${local}) (i32.const ${int(-10, 500)}))`,
          `(i32.eqz (i32.and (local.get ${local}) (i32.const 3)))`]);
        return `(block $g (br_if $g ${test})
            (block $h ${statements(self, depth - 1, loops)})
            (local.set ${local} ${e()})
            ${statements(self, depth - 1, loops)})`;
      }
      case 10: case 12: // (exceptions only)
        return exceptions === 'exnref' ? tryTable(self, depth, loops) : legacyTry(self, depth, loops);
      case 11: case 13:
        return `(if (i32.and ${e()} (i32.const 1)) (then (throw $oops ${e()})))`;
      default:
        return `(drop ${e()})`;
    }
  }

  // A struct reference: from a local, fresh, or cast from the anyref when it holds one.
  const anyAsBox = `(if (result (ref null $box)) (ref.test (ref $box) (local.get $any))
      (then (ref.cast (ref null $box) (local.get $any))) (else (local.get $k)))`;
  const box = (sub) => pick(['(local.get $r)', '(local.get $k)', `(struct.new $box ${sub()})`, anyAsBox]);

  function gcExpr(sub) {
    switch (int(0, 6)) {
      case 0: return `(struct.get $box 0 ${box(sub)})`;
      case 1: return `(array.get $arr (local.get $v) (i32.and ${sub()} (i32.const 3)))`;
      case 2: return `(i31.get_s (ref.i31 ${sub()}))`;
      case 3: return `(ref.eq (local.get $r) ${pick(['(local.get $k)', anyAsBox])})`;
      case 4: return `(ref.test (ref $box) (local.get $any))`;
      case 5: return `(i32.add (array.len (local.get $v)) (struct.get $box 0 (local.get $k)))`;
      default: return `(struct.get $box 0 (struct.new $box (i32.add ${sub()} (struct.get $box 0 ${box(sub)}))))`;
    }
  }

  function gcStatement(e) {
    switch (int(0, 5)) {
      case 0: return `(local.set $r ${box(e)})`;
      case 1: return `(struct.set $box 0 ${box(e)} ${e()})`;
      case 2: return `(array.set $arr (local.get $v) (i32.and ${e()} (i32.const 3)) ${e()})`;
      case 3: return `(local.set $any (select (result anyref) (local.get $r) (local.get $v) ${e()}))`;
      case 4: return `(local.set $k (struct.new $box ${e()}))`;
      default: return `(local.set $v (array.new $arr ${e()} (i32.const 4)))`;
    }
  }

  // A handler's statements, shallower than the body's.
  const handler = (self, depth, loops) => (chance(0.6) ? statements(self, depth - 2, loops) : '');

  // try with a catch $oops clause, a catch_all clause or both; either handler may rethrow.
  function legacyTry(self, depth, loops) {
    const rethrow = () => (chance(0.4) ? `(if (i32.and ${expr(self, 2)} (i32.const 1)) (then (rethrow 1)))` : '');
    const clauses = pick([['catch', 'catch_all'], ['catch'], ['catch_all']]);
    const tagged = `(catch $oops (local.set $d (i32.xor (local.get $d))) ${handler(self, depth, loops)} ${rethrow()})`;
    const all = `(catch_all (local.set $c (i32.add (local.get $c) (i32.const 1))) ${handler(self, depth, loops)} ${rethrow()})`;
    return `(try (do ${statements(self, depth - 1, loops)})
      ${clauses.includes('catch') ? tagged : ''} ${clauses.includes('catch_all') ? all : ''})`;
  }

  // (block $done (block $all [(result exnref)] (block $tagged (result i32 [exnref])
  //   (try_table (catch[_ref] $oops $tagged) (catch_all[_ref] $all) BODY) (br $done))
  //   tagged handler (br $done)) catch-all handler)
  function tryTable(self, depth, loops) {
    const k = labels++;
    const tagRef = chance(0.5);
    const allRef = chance(0.5);
    const throwAgain = () => (chance(0.4) ? `(if (i32.and ${expr(self, 2)} (i32.const 1)) (then (throw_ref (local.get $e))))` : '');
    const tagged = `${tagRef ? '(local.set $e)' : ''} (local.set $d (i32.xor (local.get $d)))
      ${handler(self, depth, loops)} ${tagRef ? throwAgain() : ''}`;
    const all = `${allRef ? '(local.set $e)' : ''} (local.set $c (i32.add (local.get $c) (i32.const 1)))
      ${handler(self, depth, loops)} ${allRef ? throwAgain() : ''}`;
    return `(block $done${k}
      (block $all${k} ${allRef ? '(result exnref)' : ''}
        (block $tagged${k} (result i32 ${tagRef ? 'exnref' : ''})
          (try_table (${tagRef ? 'catch_ref' : 'catch'} $oops $tagged${k}) (${allRef ? 'catch_all_ref' : 'catch_all'} $all${k})
            ${statements(self, depth - 1, loops)})
          (br $done${k}))
        ${tagged}
        (br $done${k}))
      ${all})`;
  }

  const funcs = [];
  for (let f = 0; f < functions; f++) {
    funcs.push(`(func $f${f} (type $fn) (param $a i32) (param $b i32) (result i32)
      (local $c i32) (local $d i32) (local $i0 i32) (local $i1 i32) (local $w i64)
      ${exceptions === 'exnref' ? '(local $e exnref)' : ''}
      ${gc ? '(local $r (ref null $box)) (local $k (ref $box)) (local $v (ref $arr)) (local $any anyref)' : ''}
      (if (i32.le_s (global.get $fuel) (i32.const 0)) (then (return (i32.const ${f}))))
      (global.set $fuel (i32.sub (global.get $fuel) (i32.const 1)))
      (local.set $c (i32.const ${int(0, 99)}))
      ${gc ? `(local.set $k (struct.new $box (local.get $a))) (local.set $r (local.get $k))
        (local.set $v (array.new $arr (local.get $b) (i32.const 4))) (local.set $any (local.get $v))` : ''}
      ${statements(f, 3, 0)}
      (i32.xor ${expr(f, 3)} (i32.wrap_i64 (local.get $w))))`);
  }
  const names = Array.from({ length: functions }, (_, f) => `$f${f}`).join(' ');
  return `(module
    (type $fn (func (param i32 i32) (result i32)))
    ${gc ? '(type $box (struct (field (mut i32)))) (type $arr (array (mut i32)))' : ''}
    (import "env" "next" (func $next (param i32) (result i32)))
    (import "env" "print_i32" (func $print (param i32)))
    (memory (export "memory") 1)
    (global $fuel (mut i32) (i32.const 0))
    ${exceptions ? '(tag $oops (param i32))' : ''}
    (table ${functions} funcref)
    (elem (i32.const 0) ${names})
    (func (export "main") (param i32 i32) (result i32)
      (global.set $fuel (i32.const ${fuel}))
      ${MAIN_BODY[exceptions ?? 'none']})
    ${funcs.join('\n')})`;
}
