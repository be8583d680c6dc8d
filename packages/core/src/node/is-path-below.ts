import { isAbsolute, relative, sep } from 'node:path';

/**
 * True when `path` lies strictly below the folder `root` (both absolute, and real paths where
 * symlinks matter): what loaders check before reading a file a manifest or a folder names.
 */
export function isPathBelow(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}
