// The filestat struct and the time-setting flags shared by fd_* and path_* calls.
import { FSTFLAGS, LAYOUT } from './constants.js';
import { FsError } from './errors.js';

export function writeFilestat(mem, ptr, stat) {
  const L = LAYOUT.filestat;
  mem.bytes.fill(0, ptr, ptr + L.size);
  mem.u64(ptr + L.dev, stat.dev);
  mem.u64(ptr + L.ino, stat.ino);
  mem.u8(ptr + L.filetype, stat.filetype);
  mem.u64(ptr + L.nlink, stat.nlink);
  mem.u64(ptr + L.filesize, stat.size);
  mem.u64(ptr + L.atim, stat.atim);
  mem.u64(ptr + L.mtim, stat.mtim);
  mem.u64(ptr + L.ctim, stat.ctim);
}

/** Decodes fst_flags into {atim, mtim}: BigInt nanoseconds, or undefined to leave a time alone. */
export function timesFromFlags(atim, mtim, flags) {
  const F = FSTFLAGS;
  if ((flags & F.ATIM && flags & F.ATIM_NOW) || (flags & F.MTIM && flags & F.MTIM_NOW)) throw new FsError('EINVAL');
  if (flags & ~(F.ATIM | F.ATIM_NOW | F.MTIM | F.MTIM_NOW)) throw new FsError('EINVAL');
  const now = BigInt(Date.now()) * 1_000_000n;
  const pick = (value, set, setNow) => (flags & setNow ? now : flags & set ? BigInt.asUintN(64, value) : undefined);
  return { atim: pick(atim, F.ATIM, F.ATIM_NOW), mtim: pick(mtim, F.MTIM, F.MTIM_NOW) };
}
