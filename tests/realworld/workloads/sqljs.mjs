// sql.js (SQLite compiled by Emscripten): a table filled in a transaction, then queries that
// run SQLite's sorter, B-tree, aggregates, recursive CTEs and string functions.
import { createRequire } from 'node:module';
import { digest, numbers, report } from './common.mjs';

const initSqlJs = createRequire(import.meta.url)(`${process.argv[2]}/dist/sql-wasm.js`);
const SQL = await initSqlJs();
const db = new SQL.Database();
db.run('CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, tag TEXT)');
db.run('CREATE INDEX items_tag ON items(tag, price)');
const insert = db.prepare('INSERT INTO items(name, price, qty, tag) VALUES (?, ?, ?, ?)');
const next = numbers(12345);
db.run('BEGIN');
for (let i = 0; i < 3000; i++) {
  insert.run([`item-${next() % 997}-${i}`, (next() % 100000) / 100, next() % 50, `tag${next() % 17}`]);
}
insert.free();
db.run('COMMIT');
const query = (sql) => db.exec(sql).map((r) => r.values);
const results = {
  count: query('SELECT count(*), sum(qty), round(avg(price), 4) FROM items'),
  groups: query('SELECT tag, count(*), round(sum(price * qty), 2), max(name) FROM items GROUP BY tag ORDER BY 3 DESC'),
  sorted: query('SELECT id, name FROM items ORDER BY name DESC, id LIMIT 25'),
  like: query("SELECT count(*) FROM items WHERE name LIKE 'item-1%' AND tag IN ('tag1', 'tag3')"),
  join: query('SELECT a.tag, count(*) FROM items a JOIN items b ON a.qty = b.qty AND a.tag = b.tag WHERE a.id < 300 GROUP BY a.tag ORDER BY a.tag'),
  cte: query('WITH RECURSIVE f(n, a, b) AS (SELECT 0, 0, 1 UNION ALL SELECT n + 1, b, a + b FROM f WHERE n < 60) SELECT group_concat(a) FROM f'),
  strings: query("SELECT upper(substr(name, 1, 8)), replace(tag, 'tag', '#'), printf('%08.3f', price), hex(id) FROM items WHERE id % 500 = 0"),
  window: query('SELECT id, sum(qty) OVER (PARTITION BY tag ORDER BY id ROWS 3 PRECEDING) FROM items WHERE id <= 40 ORDER BY id'),
  updated: (db.run('UPDATE items SET qty = qty + 1 WHERE price > 500'), db.getRowsModified()),
  deleted: (db.run("DELETE FROM items WHERE tag = 'tag5'"), db.getRowsModified()),
  integrity: query('PRAGMA integrity_check'),
};
results.file = digest(db.export());
db.close();
report(results);
