// Types for WASI preview 1 over asynchronous host I/O.

/** Errno values by name (ERRNO.ENOENT === 44). */
export declare const ERRNO: Readonly<Record<string, number>>;
/** File types by name (FILETYPE.DIRECTORY === 3). */
export declare const FILETYPE: Readonly<Record<string, number>>;
/** Rights bits by name (RIGHTS.FD_READ === 2n). */
export declare const RIGHTS: Readonly<Record<string, bigint>>;
/** Names of the imports that may return a Promise; instrument these for Asyncify. */
export declare const ASYNC_IMPORTS: readonly string[];

/** A value a call may return now or later. */
export type MaybePromise<T> = T | Promise<T>;

/** stdin: end of input is an empty array or null. */
export interface InputStream {
  read(maxBytes: number): MaybePromise<Uint8Array | null>;
}

/** stdout/stderr: `bytes` is a copy that the stream may keep. */
export interface OutputStream {
  write(bytes: Uint8Array): MaybePromise<void>;
  flush?(): MaybePromise<void>;
}

/** What a backend reports about a file. Times in nanoseconds. */
export interface Stat {
  dev: bigint;
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface DirEntry {
  name: string;
  filetype: number;
  ino: bigint;
}

export interface OpenOptions {
  read?: boolean;
  write?: boolean;
  create?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}

/** An open regular file. */
export interface FileHandle {
  read(dest: Uint8Array, position: number): Promise<number>;
  write(bytes: Uint8Array, position: number): Promise<number>;
  stat(): Promise<Stat>;
  truncate(size: bigint): Promise<void>;
  sync(): Promise<void>;
  /** undefined leaves a time unchanged. */
  setTimes(atim: bigint | undefined, mtim: bigint | undefined): Promise<void>;
  close(): Promise<void>;
}

/**
 * A file system the guest sees below a preopened directory. Paths are normalised and relative
 * to the backend's root ('' is the root); the caller has already resolved links in them.
 * Failures throw errors whose `code` is a POSIX name such as 'ENOENT'.
 */
export interface Backend {
  /** Whether paths may contain symbolic links the caller must resolve. */
  readonly symlinks: boolean;
  lstat(path: string): Promise<Stat>;
  open(path: string, options: OpenOptions): Promise<FileHandle>;
  readdir(path: string): Promise<DirEntry[]>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  readlink(path: string): Promise<string>;
  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): Promise<void>;
}

/** Initial content of a MemoryBackend: text or bytes for files, objects for directories. */
export type MemoryTree = { [name: string]: string | Uint8Array | { symlink: string } | MemoryTree };

export declare class MemoryBackend implements Backend {
  constructor(tree?: MemoryTree);
  readonly symlinks: boolean;
  /** The current content in the constructor's form (files as Uint8Array). */
  snapshot(): MemoryTree;
  lstat(path: string): Promise<Stat>;
  open(path: string, options: OpenOptions): Promise<FileHandle>;
  readdir(path: string): Promise<DirEntry[]>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<void>;
  symlink(target: string, path: string): Promise<void>;
  readlink(path: string): Promise<string>;
  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): Promise<void>;
}

/** A browser directory: navigator.storage.getDirectory() or showDirectoryPicker(). */
export declare class DirectoryHandleBackend implements Backend {
  constructor(root: FileSystemDirectoryHandle);
  readonly symlinks: boolean;
  lstat(path: string): Promise<Stat>;
  open(path: string, options: OpenOptions): Promise<FileHandle>;
  readdir(path: string): Promise<DirEntry[]>;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  link(from: string, to: string): Promise<never>;
  symlink(target: string, path: string): Promise<never>;
  readlink(path: string): Promise<string>;
  setTimes(path: string, atim: bigint | undefined, mtim: bigint | undefined): Promise<never>;
}

export declare class FsError extends Error {
  constructor(code: string, message?: string);
  readonly code: string;
}

/** Thrown through the guest by proc_exit; start() returns its code. */
export declare class WASIExit extends Error {
  constructor(code: number);
  readonly code: number;
}

/** Anything the stdin option accepts. */
export type StdinSource = string | Uint8Array | ArrayBuffer | InputStream | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string> | { pipe: Function; [Symbol.asyncIterator](): AsyncIterator<unknown> };
/** Anything the stdout/stderr options accept (Node Writable, web WritableStream, OutputStream). */
export type OutputSink = OutputStream | WritableStream<Uint8Array> | { write: Function; on: Function; end: Function };

export interface WASIOptions {
  args?: string[];
  /** An object, or 'KEY=value' strings. */
  env?: Record<string, string> | string[];
  /** Guest directory name -> backend; fds 3, 4, ... in this order. */
  preopens?: Record<string, Backend>;
  stdin?: StdinSource;
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Aborting stops the program: pending calls give ECANCELED, start() rejects with the reason. */
  signal?: AbortSignal;
  /** Default true. false: proc_exit ends the Node process with the code. */
  returnOnExit?: boolean;
}

/** Instance exports as the embedding runtime exposes them (exports may return Promises). */
export interface WASIInstance {
  exports: { memory: WebAssembly.Memory; _start?: () => unknown; _initialize?: () => unknown; [name: string]: unknown };
}

export declare class WASI {
  constructor(options?: WASIOptions);
  /** The wasi_snapshot_preview1 functions; some return Promise<number>. */
  readonly wasiImport: Record<string, (...args: any[]) => number | Promise<number>>;
  getImportObject(): { wasi_snapshot_preview1: Record<string, (...args: any[]) => number | Promise<number>> };
  /** Calls _start and resolves to the exit code. */
  start(instance: WASIInstance): Promise<number>;
  /** Binds memory and calls _initialize when present (reactors). */
  initialize(instance: WASIInstance): Promise<void>;
}

/** Helpers that adapt strings, bytes and streams to InputStream/OutputStream. */
export declare namespace streams {
  function fromBytes(data: string | Uint8Array | ArrayBuffer): InputStream;
  function fromAsyncIterable(iterable: AsyncIterable<Uint8Array | string>): InputStream;
  function fromReadableStream(stream: ReadableStream<Uint8Array>): InputStream;
  function toNodeWritable(stream: { write(chunk: Uint8Array, callback: (error?: Error | null) => void): unknown }): OutputStream;
  function toWritableStream(stream: WritableStream<Uint8Array>): OutputStream;
  function collect(): OutputStream & { bytes(): Uint8Array; text(): string };
  function lines(onLine: (line: string) => void): OutputStream & { flush(): void };
  function toInput(source: StdinSource | null | undefined): InputStream;
  function toOutput(sink: OutputSink | null | undefined): OutputStream;
}
