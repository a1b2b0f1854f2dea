// Resolution of guest paths against a directory inside a backend.
//
// Every path the guest names is relative to a directory descriptor. Resolution walks it one
// component at a time, so that neither `..` nor a symbolic link can lead outside that directory:
// `..` above it, an absolute path and an absolute link target all fail with ENOTCAPABLE, and a
// link's relative target is spliced into the walk as if the guest had written it. Backends then
// only ever see normalised paths ('a/b/c', '' for their root) without links in the middle.
import { FILETYPE } from './constants.js';
import { FsError } from './errors.js';

const MAX_LINKS = 32;

export const joinPath = (dir, name) => (dir === '' ? name : `${dir}/${name}`);

/**
 * @param {object} backend the preopen's backend (uses lstat/readlink when backend.symlinks)
 * @param {string} base    the directory descriptor's normalised path inside the backend
 * @param {string} path    the guest's path
 * @param {boolean} follow whether a link in the last component is followed
 * @returns {Promise<{path: string, mustBeDirectory: boolean}>}
 */
export async function resolvePath(backend, base, path, follow) {
  if (path === '') throw new FsError('ENOENT');
  if (path.includes('\0')) throw new FsError('EINVAL');
  if (path.startsWith('/')) throw new FsError('ENOTCAPABLE', `absolute path ${path}`);
  const mustBeDirectory = path.endsWith('/');
  const pending = path.split('/').filter((c) => c !== '');
  const done = []; // components below `base`
  let links = 0;
  while (pending.length > 0) {
    const name = pending.shift();
    if (name === '.') continue;
    if (name === '..') {
      if (done.length === 0) throw new FsError('ENOTCAPABLE', `${path} leaves its directory`);
      done.pop();
      continue;
    }
    done.push(name);
    const last = pending.length === 0;
    if (!backend.symlinks || (last && !follow && !mustBeDirectory)) continue;
    const full = joinPath(base, done.join('/'));
    let stat;
    try {
      stat = await backend.lstat(full);
    } catch (error) {
      if (last && error.code === 'ENOENT') continue; // may be about to be created
      throw error;
    }
    if (stat.filetype === FILETYPE.SYMBOLIC_LINK) {
      if (++links > MAX_LINKS) throw new FsError('ELOOP');
      const target = await backend.readlink(full);
      if (target.startsWith('/')) throw new FsError('ENOTCAPABLE', `link ${full} -> ${target}`);
      done.pop();
      pending.unshift(...target.split('/').filter((c) => c !== ''));
    } else if (!last && stat.filetype !== FILETYPE.DIRECTORY) {
      throw new FsError('ENOTDIR');
    }
  }
  return { path: joinPath(base, done.join('/')), mustBeDirectory };
}

/** Splits a normalised path into its parent and last component ('' parent for top-level names). */
export function splitPath(path) {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? ['', path] : [path.slice(0, slash), path.slice(slash + 1)];
}
