// A SQLite VFS whose storage lives in the host: every file operation is a wasm import from the
// "store" module. read/write/sync/size/truncate are the ones the host implements asynchronously
// (they are the asyncify import list); open/close/delete/exists stay synchronous.
// Built with SQLITE_OS_OTHER=1, so this file also supplies sqlite3_os_init/sqlite3_os_end.
#include <stdint.h>
#include <string.h>

#include "sqlite3.h"

#define STORE_IMPORT(name) __attribute__((import_module("store"), import_name(name)))

STORE_IMPORT("open") int32_t store_open(const char *name, int32_t len, int32_t create);
STORE_IMPORT("close") int32_t store_close(int32_t fid);
STORE_IMPORT("delete") int32_t store_delete(const char *name, int32_t len);
STORE_IMPORT("exists") int32_t store_exists(const char *name, int32_t len);
// Returns the number of bytes copied (less than amt at the end of the file), or -1.
STORE_IMPORT("read") int32_t store_read(int32_t fid, void *buf, int32_t amt, int64_t offset);
STORE_IMPORT("write") int32_t store_write(int32_t fid, const void *buf, int32_t amt, int64_t offset);
STORE_IMPORT("sync") int32_t store_sync(int32_t fid);
// Writes the size through `out` so that every async import returns a plain i32 status.
STORE_IMPORT("size") int32_t store_size(int32_t fid, int64_t *out);
STORE_IMPORT("truncate") int32_t store_truncate(int32_t fid, int64_t size);

typedef struct {
  sqlite3_file base;
  int32_t fid;
} store_file;

static int file_close(sqlite3_file *f) {
  return store_close(((store_file *)f)->fid) == 0 ? SQLITE_OK : SQLITE_IOERR_CLOSE;
}

static int file_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 offset) {
  int32_t got = store_read(((store_file *)f)->fid, buf, amt, offset);
  if (got < 0) return SQLITE_IOERR_READ;
  if (got < amt) {
    // SQLite requires the unread tail to be zeroed on a short read.
    memset((char *)buf + got, 0, (size_t)(amt - got));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}

static int file_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 offset) {
  return store_write(((store_file *)f)->fid, buf, amt, offset) == amt ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

static int file_truncate(sqlite3_file *f, sqlite3_int64 size) {
  return store_truncate(((store_file *)f)->fid, size) == 0 ? SQLITE_OK : SQLITE_IOERR_TRUNCATE;
}

static int file_sync(sqlite3_file *f, int flags) {
  (void)flags;
  return store_sync(((store_file *)f)->fid) == 0 ? SQLITE_OK : SQLITE_IOERR_FSYNC;
}

static int file_size(sqlite3_file *f, sqlite3_int64 *size) {
  int64_t s = 0;
  if (store_size(((store_file *)f)->fid, &s) != 0) return SQLITE_IOERR_FSTAT;
  *size = s;
  return SQLITE_OK;
}

// One connection, one process: locks always succeed.
static int file_lock(sqlite3_file *f, int level) { (void)f; (void)level; return SQLITE_OK; }
static int file_unlock(sqlite3_file *f, int level) { (void)f; (void)level; return SQLITE_OK; }
static int file_check_reserved(sqlite3_file *f, int *out) { (void)f; *out = 0; return SQLITE_OK; }
static int file_control(sqlite3_file *f, int op, void *arg) { (void)f; (void)op; (void)arg; return SQLITE_NOTFOUND; }
static int file_sector_size(sqlite3_file *f) { (void)f; return 4096; }
static int file_device_characteristics(sqlite3_file *f) { (void)f; return 0; }

static const sqlite3_io_methods store_io = {
  .iVersion = 1,
  .xClose = file_close,
  .xRead = file_read,
  .xWrite = file_write,
  .xTruncate = file_truncate,
  .xSync = file_sync,
  .xFileSize = file_size,
  .xLock = file_lock,
  .xUnlock = file_unlock,
  .xCheckReservedLock = file_check_reserved,
  .xFileControl = file_control,
  .xSectorSize = file_sector_size,
  .xDeviceCharacteristics = file_device_characteristics,
};

static int temp_counter;

static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
  (void)vfs;
  char temp_name[32];
  if (!name) {
    sqlite3_snprintf(sizeof temp_name, temp_name, "temp-%d", ++temp_counter);
    name = temp_name;
  }
  int32_t fid = store_open(name, (int32_t)strlen(name), (flags & SQLITE_OPEN_CREATE) != 0);
  if (fid < 0) return SQLITE_CANTOPEN;
  store_file *sf = (store_file *)f;
  sf->base.pMethods = &store_io;
  sf->fid = fid;
  if (out_flags) *out_flags = flags;
  return SQLITE_OK;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs; (void)sync_dir;
  store_delete(name, (int32_t)strlen(name));
  return SQLITE_OK;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
  (void)vfs; (void)flags;
  *out = store_exists(name, (int32_t)strlen(name));
  return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out) {
  (void)vfs;
  sqlite3_snprintf(n, out, "%s", name);
  return SQLITE_OK;
}

static int vfs_randomness(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs;
  // Deterministic on purpose: every variant of the benchmark must do identical work.
  for (int i = 0; i < n; i++) out[i] = (char)(i * 131 + 17);
  return n;
}

static int vfs_sleep(sqlite3_vfs *vfs, int micros) { (void)vfs; return micros; }

static int vfs_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
  (void)vfs;
  *out = (sqlite3_int64)2461000 * 86400000;  // a fixed Julian day, in milliseconds
  return SQLITE_OK;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *out) {
  sqlite3_int64 ms;
  vfs_current_time_int64(vfs, &ms);
  *out = ms / 86400000.0;
  return SQLITE_OK;
}

static int vfs_last_error(sqlite3_vfs *vfs, int n, char *out) {
  (void)vfs; (void)n; (void)out;
  return 0;
}

static sqlite3_vfs store_vfs = {
  .iVersion = 2,
  .szOsFile = sizeof(store_file),
  .mxPathname = 256,
  .zName = "store",
  .xOpen = vfs_open,
  .xDelete = vfs_delete,
  .xAccess = vfs_access,
  .xFullPathname = vfs_full_pathname,
  .xRandomness = vfs_randomness,
  .xSleep = vfs_sleep,
  .xCurrentTime = vfs_current_time,
  .xGetLastError = vfs_last_error,
  .xCurrentTimeInt64 = vfs_current_time_int64,
};

int sqlite3_os_init(void) { return sqlite3_vfs_register(&store_vfs, 1); }
int sqlite3_os_end(void) { return SQLITE_OK; }
