// The fixed SQLite workload: create a table with an index, insert rows in transactions, run
// indexed point queries and full scans. `env.phase` marks phase boundaries so the host can time
// them; the returned checksum lets the host check that every variant did the same work.
#include <stdint.h>
#include <string.h>

#include "../common.h"
#include "sqlite3.h"

BENCH_IMPORT("phase") void bench_phase(int32_t id);

static uint32_t checksum;

static int exec(sqlite3 *db, const char *sql) {
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  if (err) sqlite3_free(err);
  return rc;
}

static void mix(uint32_t v) { checksum = (checksum ^ v) * 16777619u; }

// Returns the checksum, or a negative SQLite result code on failure.
BENCH_EXPORT("bench_sqlite") int32_t bench_sqlite(int32_t rows) {
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  char text[64];
  int rc;
  checksum = 2166136261u;

  bench_phase(0);  // schema
  if ((rc = sqlite3_open("bench.db", &db)) != SQLITE_OK) return -rc;
  // A small page cache so that queries reach the VFS, as they would on a real large database.
  if ((rc = exec(db, "PRAGMA cache_size=64;"
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v TEXT);"
                     "CREATE INDEX t_k ON t(k);")) != SQLITE_OK) return -rc;

  bench_phase(1);  // inserts, 500 rows per transaction
  if ((rc = sqlite3_prepare_v2(db, "INSERT INTO t(k, v) VALUES(?1, ?2)", -1, &st, 0)) != SQLITE_OK) return -rc;
  for (int32_t i = 0; i < rows; i++) {
    if (i % 500 == 0 && (rc = exec(db, "BEGIN")) != SQLITE_OK) return -rc;
    int32_t k = (int32_t)(((uint32_t)i * 7919u) % 10007u);
    sqlite3_snprintf(sizeof text, text, "row-%d-payload-%08x", i, (unsigned)(i * 2654435761u));
    sqlite3_bind_int(st, 1, k);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(st)) != SQLITE_DONE) return -rc;
    sqlite3_reset(st);
    if ((i % 500 == 499 || i == rows - 1) && (rc = exec(db, "COMMIT")) != SQLITE_OK) return -rc;
  }
  sqlite3_finalize(st);

  bench_phase(2);  // indexed point queries
  if ((rc = sqlite3_prepare_v2(db, "SELECT v FROM t WHERE k = ?1", -1, &st, 0)) != SQLITE_OK) return -rc;
  for (int32_t q = 0; q < rows / 5; q++) {
    sqlite3_bind_int(st, 1, (q * 104729) % 10007);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) mix((uint32_t)sqlite3_column_bytes(st, 0));
    if (rc != SQLITE_DONE) return -rc;
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);

  bench_phase(3);  // full scans
  if ((rc = sqlite3_prepare_v2(db, "SELECT count(*), sum(length(v)) FROM t WHERE v LIKE '%7%'", -1, &st, 0)) != SQLITE_OK)
    return -rc;
  for (int s = 0; s < 5; s++) {
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) return -rc;
    mix((uint32_t)sqlite3_column_int(st, 0));
    mix((uint32_t)sqlite3_column_int(st, 1));
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  bench_phase(4);  // done
  return (int32_t)(checksum & 0x7fffffff);
}
