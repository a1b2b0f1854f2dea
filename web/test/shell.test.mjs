// The shell in headless Chromium, once per backend: programs, pipes, redirections, exit codes,
// keyboard input, Ctrl+C, line editing, OPFS persistence across a reload, mounting a folder.
// Needs `node build.mjs` first (npm test does it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ShellPage, start } from './browser.mjs';

// Hooks fail after a minute instead of stalling a run on a wedged browser.
const HOOK = { timeout: 60000 };
let env;
before(async () => { env = await start(); }, HOOK);
after(async () => { await env?.close(); }, HOOK);

for (const backend of ['jspi', 'asyncify']) {
  describe(`shell with ${backend}`, () => {
    let context;
    let shell;
    before(async () => {
      context = await env.browser.newContext();
      shell = await ShellPage.open(context, env.url, backend);
    }, HOOK);
    after(async () => {
      assert.deepEqual(shell.errors.map(String), [], 'no uncaught page errors');
      await context.close();
    }, HOOK);

    test('runs on the chosen backend (Chromium has JSPI)', async () => {
      assert.deepEqual(await shell.page.evaluate(() => window.__shell.backends), ['jspi', 'asyncify']);
      assert.equal(await shell.page.evaluate(() => window.__shell.backend), backend);
      assert.equal(await shell.page.locator(`input[value=${backend}]`).isChecked(), true);
      const shown = await shell.run('backend');
      assert.deepEqual([shown.output, shown.status], [backend === 'jspi' ? 'JSPI' : 'Asyncify', 0]);
    });

    test('programs read the seeded files; pipes connect them', async () => {
      const ls = await shell.run('ls');
      assert.deepEqual(ls.output.split('\n'), ['README.txt', 'fib.calc', 'fruit.txt']);
      assert.equal((await shell.run('cat fruit.txt | sort | uniq -c')).output,
        '      3 apple\n      1 fig\n      1 kiwi\n      2 pear');
      assert.equal((await shell.run('sort -r fruit.txt | head -n 2')).output, 'pear\npear');
      assert.equal((await shell.run('tail -n 1 fruit.txt')).output, 'apple');
      assert.equal((await shell.run('wc fruit.txt')).output, '7 7 37 fruit.txt');
      assert.equal((await shell.run('echo -n hi | hexdump')).output, '00000000  68 69                                             |hi|\n00000002');
      assert.equal((await shell.run('grep -n "^p" fruit.txt')).output, '1:pear\n6:pear');
      assert.equal((await shell.run('grep -E "^(fig|kiwi)$" fruit.txt | wc -l')).output, '2');
    });

    test('exit codes reach $?', async () => {
      assert.equal((await shell.run('grep -q-nothing fruit.txt')).status, 2);
      assert.equal((await shell.run('grep banana fruit.txt')).status, 1);
      assert.equal((await shell.run('echo $?')).output, '1');
      assert.equal((await shell.run('grep fig fruit.txt')).status, 0);
      const missing = await shell.run('cat nope.txt');
      assert.equal(missing.status, 1);
      assert.match(missing.output, /cat: nope\.txt: No such file or directory/);
      assert.equal((await shell.run('nosuchprogram')).status, 127);
    });

    test('file programs and redirections change real files', async () => {
      const steps = [
        'mkdir -p work/a/b', 'cd work', 'echo first > notes.txt', 'echo second >> notes.txt', 'cp notes.txt a/b',
        'mv a/b/notes.txt a/copy.txt', 'touch empty', 'ls a a/b',
      ];
      for (const line of steps.slice(0, -1)) assert.equal((await shell.run(line)).status, 0, line);
      assert.equal((await shell.run(steps.at(-1))).output, 'a:\nb\ncopy.txt\n\na/b:');
      assert.equal((await shell.run('pwd')).output, '/sandbox/work');
      assert.equal((await shell.run('cat a/copy.txt')).output, 'first\nsecond');
      assert.match((await shell.run('stat notes.txt')).output, /Type: regular file\n\s+Size: 13\n/);
      assert.equal((await shell.run('sort < notes.txt | tee sorted.txt | wc -l')).output, '2');
      assert.equal((await shell.run('cat sorted.txt')).output, 'first\nsecond');
      assert.equal((await shell.run('rmdir a')).status, 1);
      assert.equal((await shell.run('rm -r a; rm empty notes.txt sorted.txt; ls -a')).output, '.\n..');
      assert.equal((await shell.run('cd ..; rmdir work; ls work')).status, 1);
    });

    test('calc runs scripts and reads the keyboard', async () => {
      assert.equal((await shell.run('calc fib.calc')).output,
        'fib 0 = 0\nfib 5 = 5\nfib 10 = 55\nfib 15 = 610\nfib 20 = 6765');
      await shell.send('calc');
      await shell.typeLines('def sq(x) {', 'return x * x }', 'sq(12) + 2 ^ 3', '1 / 0');
      await shell.page.keyboard.press('Control+D');
      const result = await shell.finish();
      assert.match(result.output, /^152$/m);
      assert.match(result.output, /calc: line 4: division by zero/);
      assert.equal(result.status, 1);
    });

    test('calc pauses deep in its recursion and resumes with the right result', async () => {
      // The loop at the bottom runs long enough to yield (sched_yield) 900 calls deep.
      await shell.run(`echo 'def s(n) { if n == 0 { k = 0; while k < 300000 { k = k + 1 } return k } return 1 + s(n - 1) }' > deep.calc`);
      await shell.run(`echo 's(900)' >> deep.calc`);
      const deep = await shell.run('calc deep.calc');
      assert.deepEqual([deep.output, deep.status], ['300900', 0]);
      assert.equal(await shell.page.evaluate(() => window.__shell.last.engine), backend);
      const tooDeep = await shell.run(`echo 'def r(n) { return r(n + 1) }; r(0)' | calc`);
      assert.deepEqual([tooDeep.output, tooDeep.status], ['calc: line 1: recursion too deep', 1]);
    });

    test('Ctrl+C stops an endless calc loop running 300 calls deep', async () => {
      await shell.run(`echo 'def f(n) { if n > 0 { return f(n - 1) } while 1 { } }; f(300)' > spin.calc`);
      await shell.send('calc spin.calc');
      await shell.page.waitForTimeout(500);
      const pressed = Date.now();
      await shell.page.keyboard.press('Control+C');
      const { status } = await shell.finish({ timeout: 10000 });
      assert.equal(status, 130);
      assert.ok(Date.now() - pressed < 5000, `took ${Date.now() - pressed} ms`);
      assert.equal((await shell.run('rm spin.calc deep.calc; echo ok')).output, 'ok');
    });

    test('cat with no arguments reads typed lines until Ctrl+D', async () => {
      await shell.send('cat | wc -l');
      await shell.typeLines('one', 'two');
      await shell.page.keyboard.press('Control+D');
      const { output, status } = await shell.finish();
      assert.equal(output, 'one\ntwo\n2'); // the typed lines are echoed, then wc's count
      assert.equal(status, 0);
      await shell.send('cat');
      await shell.typeLines('echoed back');
      await shell.page.keyboard.press('Control+D');
      assert.equal((await shell.finish()).output, 'echoed back\nechoed back');
    });

    test('Ctrl+C stops sleep 100 at once', async () => {
      await shell.send('sleep 100');
      await shell.page.waitForTimeout(300);
      const pressed = Date.now();
      await shell.page.keyboard.press('Control+C');
      const { status, output } = await shell.finish({ timeout: 10000 });
      assert.equal(status, 130);
      assert.equal(output, '^C');
      assert.ok(Date.now() - pressed < 5000, `took ${Date.now() - pressed} ms`);
      assert.equal((await shell.run('echo still here')).output, 'still here');
      // A program waiting for the keyboard stops too, and later input goes to the next program.
      await shell.send('cat');
      await shell.page.keyboard.type('half a line');
      await shell.page.keyboard.press('Control+C');
      assert.equal((await shell.finish({ timeout: 10000 })).status, 130);
      assert.equal((await shell.run('echo next')).output, 'next');
    });

    test('line editing and history', async () => {
      await shell.run('echo one');
      await shell.page.keyboard.type('echo wrld');
      for (let i = 0; i < 3; i++) await shell.page.keyboard.press('ArrowLeft');
      await shell.page.keyboard.type('o');
      await shell.page.keyboard.press('End');
      await shell.page.keyboard.type('!x');
      await shell.page.keyboard.press('Backspace');
      const edited = await shell.run('');
      assert.equal(edited.output, 'world!');
      await shell.page.keyboard.press('ArrowUp');
      await shell.page.keyboard.press('ArrowUp');
      assert.equal((await shell.run('')).output, 'one');
    });

    test('files in /sandbox survive a reload, /tmp does not', async () => {
      await shell.run('echo kept > /sandbox/kept.txt; echo gone > /tmp/gone.txt');
      await shell.load();
      assert.equal((await shell.run('cat /sandbox/kept.txt')).output, 'kept');
      assert.equal((await shell.run('cat /tmp/gone.txt')).status, 1);
      assert.equal((await shell.run('rm /sandbox/kept.txt')).status, 0);
    });

    test('mount gives programs a picked folder', async () => {
      // The picker needs a person; answer it with an OPFS folder, which is the same kind of handle.
      await shell.page.evaluate(async () => {
        const root = await navigator.storage.getDirectory();
        const picked = await root.getDirectoryHandle('picked', { create: true });
        const file = await (await picked.getFileHandle('hello.txt', { create: true })).createWritable();
        await file.write('from the host\n');
        await file.close();
        window.showDirectoryPicker = async () => picked;
      });
      assert.equal((await shell.run('mount')).output, 'mounted picked at /mnt/picked');
      assert.equal((await shell.run('ls /mnt')).output, 'picked');
      assert.equal((await shell.run('cat /mnt/picked/hello.txt')).output, 'from the host');
      assert.equal((await shell.run('echo written > /mnt/picked/out.txt; cp /mnt/picked/hello.txt /mnt/picked/copy.txt')).status, 0);
      const host = await shell.page.evaluate(async () => {
        const picked = await (await navigator.storage.getDirectory()).getDirectoryHandle('picked');
        const read = async (name) => (await (await picked.getFileHandle(name)).getFile()).text();
        return [await read('out.txt'), await read('copy.txt')];
      });
      assert.deepEqual(host, ['written\n', 'from the host\n']);
    });
  });
}

test('both backends print the same for the same commands', async () => {
  const context = await env.browser.newContext();
  try {
    const outputs = {};
    for (const backend of ['jspi', 'asyncify']) {
      const shell = await ShellPage.open(context, env.url, backend);
      outputs[backend] = [];
      for (const line of ['ls -l /sandbox | wc -l', 'calc fib.calc | tail -n 2', 'cat README.txt | grep -c Try', 'help | head -n 3']) {
        const { output, status } = await shell.run(line);
        outputs[backend].push({ line, output, status });
      }
      await shell.page.close();
    }
    assert.deepEqual(outputs.asyncify, outputs.jspi);
  } finally {
    await context.close();
  }
});
