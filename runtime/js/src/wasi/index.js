// WASI preview 1 over asynchronous host I/O. Browser-safe: the Node backend lives in
// ./backends/node.js and is imported from there.
export { WASI, ASYNC_IMPORTS } from './wasi.js';
export { FsError, WASIExit } from './errors.js';
export { MemoryBackend } from './backends/memory.js';
export { DirectoryHandleBackend } from './backends/directory-handle.js';
export * as streams from './streams.js';
export { ERRNO, FILETYPE, RIGHTS } from './constants.js';
