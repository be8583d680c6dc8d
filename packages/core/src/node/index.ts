// Node-only helpers (file system), kept out of the main entry so that it stays usable in browsers.
export { writeAtomically } from './write-atomically.js';
export { isPathBelow } from './is-path-below.js';
export { readJsonLines } from './read-json-lines.js';
