// poll_oneoff: waits for the first of several clock and descriptor events.
//
// Clock subscriptions become timers; a read subscription on stdin waits for the stream to have
// data (the chunk is kept for the next fd_read); files and outputs are always ready. Once one
// subscription fires, every other one that is ready by then is reported too.
import { ERRNO, EVENTRWFLAGS, EVENTTYPE, LAYOUT, RIGHTS, SUBCLOCKFLAGS } from './constants.js';
import { FileDescriptor, StreamDescriptor } from './descriptors.js';
import { errnoOf } from './errors.js';
import { clockNow } from './calls-misc.js';

export function pollCalls({ mem, fds, sleep }) {
  function readSubscription(ptr) {
    const S = LAYOUT.subscription;
    const view = mem.view;
    const sub = { userdata: view.getBigUint64(ptr + S.userdata, true), tag: view.getUint8(ptr + S.tag) };
    if (sub.tag === EVENTTYPE.CLOCK) {
      sub.clockId = view.getUint32(ptr + S.clockId, true);
      sub.timeout = view.getBigUint64(ptr + S.timeout, true);
      sub.flags = view.getUint16(ptr + S.flags, true);
    } else {
      sub.fd = view.getUint32(ptr + S.fd, true);
    }
    return sub;
  }

  /** Resolves to {error, nbytes, flags} when the subscription is ready. */
  async function waitFor(sub, timers) {
    if (sub.tag === EVENTTYPE.CLOCK) {
      const now = clockNow(sub.clockId);
      if (now === undefined) return { error: ERRNO.EINVAL };
      const delay = sub.flags & SUBCLOCKFLAGS.ABSTIME ? sub.timeout - now : sub.timeout;
      if (delay > 0n) await sleep(delay, timers);
      return {};
    }
    if (sub.tag !== EVENTTYPE.FD_READ && sub.tag !== EVENTTYPE.FD_WRITE) return { error: ERRNO.EINVAL };
    try {
      const d = fds.get(sub.fd, RIGHTS.POLL_FD_READWRITE);
      if (sub.tag === EVENTTYPE.FD_WRITE) return { nbytes: 0n };
      if (d instanceof StreamDescriptor) {
        if (!d.input) return { error: ERRNO.EBADF };
        const { available, ended } = await d.input.ready();
        return { nbytes: BigInt(available), flags: ended ? EVENTRWFLAGS.HANGUP : 0 };
      }
      if (d instanceof FileDescriptor) {
        const { size } = await d.handle.stat();
        const left = size - BigInt(d.position);
        return { nbytes: left > 0n ? left : 0n };
      }
      return { error: ERRNO.EBADF };
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === undefined) throw error;
      return { error: errno };
    }
  }

  return {
    async poll_oneoff(inPtr, outPtr, count, neventsPtr) {
      if (count === 0) return ERRNO.EINVAL;
      const subs = [];
      for (let i = 0; i < count; i++) subs.push(readSubscription(inPtr + i * LAYOUT.subscription.size));
      const timers = new Set();
      const results = new Array(count);
      const waits = subs.map((sub, i) => waitFor(sub, timers).then((r) => { results[i] = r; }));
      try {
        await Promise.race(waits);
        await null; // let subscriptions that became ready at the same moment record themselves
      } finally {
        for (const cancel of timers) cancel();
      }
      const E = LAYOUT.event;
      let n = 0;
      results.forEach((r, i) => {
        if (!r) return;
        const at = outPtr + n++ * E.size;
        mem.bytes.fill(0, at, at + E.size);
        mem.u64(at + E.userdata, subs[i].userdata);
        mem.u16(at + E.error, r.error ?? 0);
        mem.u8(at + E.type, subs[i].tag);
        if (subs[i].tag !== EVENTTYPE.CLOCK) {
          mem.u64(at + E.nbytes, r.nbytes ?? 0n);
          mem.u16(at + E.flags, r.flags ?? 0);
        }
      });
      mem.u32(neventsPtr, n);
      return ERRNO.SUCCESS;
    },
  };
}
