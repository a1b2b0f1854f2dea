// Shared glue for the benchmark workloads: they are freestanding reactors (no WASI) whose only
// imports are `env.tick`, an import that the host declares async but which never pauses in the
// normal-path measurements, and `env.report`, a plain synchronous import.
#pragma once
#include <stdint.h>

#define BENCH_IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define BENCH_EXPORT(name) __attribute__((export_name(name)))

BENCH_IMPORT("tick") void bench_tick(int32_t where);
BENCH_IMPORT("report") void bench_report(int32_t value);

// Room for the Asyncify data structure and saved frames, owned by the host's driver.
static uint8_t asyncify_area[1 << 20] __attribute__((aligned(16)));
BENCH_EXPORT("bench_asyncify_area") uint8_t *bench_asyncify_area(void) { return asyncify_area; }
BENCH_EXPORT("bench_asyncify_area_size") int32_t bench_asyncify_area_size(void) {
  return (int32_t)sizeof asyncify_area;
}
