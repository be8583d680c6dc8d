import { readFile } from 'node:fs/promises';

/**
 * The records of a JSON Lines file, in order: none when the file does not exist, and a line
 * that is not JSON (one a killed process left half-written) skipped rather than failing the rest.
 */
export async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    try {
      return line.trim() === '' ? [] : [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
