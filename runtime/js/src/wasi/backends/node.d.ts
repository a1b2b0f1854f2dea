import type { Backend, DirEntry, FileHandle, OpenOptions, Stat } from '../index.js';

/** A real directory through Node's fs/promises; the guest cannot leave it. */
export declare class NodeBackend implements Backend {
  constructor(root: string);
  readonly root: string;
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
