/** Where in a mapping file something is: a path of keys and indexes from the document root. */
export type MappingPath = (string | number)[];

/** One problem in one mapping file, with the place to fix it. */
export interface MappingError {
  /** snake_case, stable: tests and tools match on it. */
  code: string;
  message: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  path: MappingPath;
}

/** A problem found before positions are known: checks speak in paths, the loader adds file:line:col. */
export interface MappingIssue {
  code: string;
  message: string;
  path: MappingPath;
  /** Point at the key of the last path segment instead of its value (unknown and duplicate keys). */
  atKey?: boolean;
}

/** `file:line:col: message (code)` — the shape editors and CI annotate. */
export function formatMappingError(error: MappingError): string {
  return `${error.file}:${error.line}:${error.column}: ${error.message} (${error.code})`;
}

/** `phases[2].owner` — how a path reads in a message. */
export function formatPath(path: MappingPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text;
}

/** Prefixes a detail with the path it concerns, so a message stands on its own. */
export function at(path: MappingPath, detail: string): string {
  return path.length === 0 ? detail : `${formatPath(path)}: ${detail}`;
}

export function issue(code: string, path: MappingPath, detail: string, atKey = false): MappingIssue {
  return { code, message: at(path, detail), path, ...(atKey ? { atKey } : {}) };
}

export function compareErrors(a: MappingError, b: MappingError): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
