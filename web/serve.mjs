#!/usr/bin/env node
// Serves web/dist/ on http://localhost:PORT (default 8080; PORT or --port N) to this machine
// only. localhost counts as a secure context, which the origin-private file system and
// showDirectoryPicker require.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
};

/** Starts the server; resolves to {server, url}. Port 0 picks a free port. */
export function serve({ root = join(dirname(fileURLToPath(import.meta.url)), 'dist'), port = 8080 } = {}) {
  const server = createServer((request, response) => {
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://localhost:${server.address().port}/` }));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--port');
  const port = Number(flag > 0 ? process.argv[flag + 1] : process.env.PORT ?? 8080);
  const root = join(dirname(fileURLToPath(import.meta.url)), 'dist');
  if (!existsSync(join(root, 'index.html'))) {
    console.error('web/dist is missing: run node web/build.mjs first');
    process.exit(1);
  }
  const { url } = await serve({ root, port });
  console.log(`WASI shell at ${url} (Ctrl+C stops)`);
}
