import { type Document, isNode, LineCounter, parseDocument, visit } from 'yaml';
import type { MappingError } from './mapping-error.js';
import { toPosition } from './yaml-positions.js';

export type ParsedYaml =
  | { ok: true; doc: Document; counter: LineCounter; value: unknown }
  | { ok: false; errors: MappingError[] };

/**
 * Parses one YAML document keeping node ranges. YAML 1.2 core schema: `on`, `yes` and dates
 * stay text. Warnings (an unknown tag) count as errors — a mapping file has no use for them.
 */
export function parseYaml(text: string, file: string): ParsedYaml {
  const counter = new LineCounter();
  const fail = (code: string, message: string, offset = 0): ParsedYaml => ({
    ok: false,
    errors: [{ code, message, file, ...toPosition(counter, offset), path: [] }],
  });
  let doc: Document;
  try {
    doc = parseDocument(text, {
      lineCounter: counter,
      prettyErrors: false,
      uniqueKeys: true,
      logLevel: 'error',
    });
  } catch (error) {
    return fail('yaml_syntax', `YAML: ${reason(error)}`);
  }
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    // After a syntax error the parser's recovery adds echoes on the same line; the first one speaks.
    const lines = new Set<number>();
    const errors: MappingError[] = [];
    for (const problem of problems) {
      const position = toPosition(counter, problem.pos[0]);
      if (lines.has(position.line)) continue;
      lines.add(position.line);
      errors.push({
        code: problem.code === 'DUPLICATE_KEY' ? 'duplicate_key' : 'yaml_syntax',
        message: yamlMessage(problem.code, problem.message, text, problem.pos[0]),
        file,
        ...position,
        path: [],
      });
    }
    return { ok: false, errors };
  }
  let aliasProblem: { message: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, alias, ancestors) {
      const target = alias.resolve(doc);
      const offset = alias.range?.[0] ?? 0;
      if (!target)
        aliasProblem = {
          message: `YAML: alias *${alias.source} has no anchor &${alias.source} before it`,
          offset,
        };
      else if (ancestors.includes(target))
        aliasProblem = { message: 'YAML: an alias refers to a node that contains it', offset };
      return aliasProblem ? visit.BREAK : undefined;
    },
  });
  if (aliasProblem) return fail('yaml_alias', aliasProblem.message, aliasProblem.offset);
  try {
    return { ok: true, doc, counter, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (error) {
    // Unresolved aliases and alias bombs surface only when the document is converted.
    return fail(
      'yaml_syntax',
      `YAML: ${reason(error)}`,
      isNode(doc.contents) ? (doc.contents.range?.[0] ?? 0) : 0,
    );
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** yaml's wording, except where it speaks of its own API or a key it does not name. */
function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY')
    return `duplicate key ${keyAt(text, offset)}: a key may appear once per mapping`;
  if (code === 'MULTIPLE_DOCS')
    return 'YAML: a mapping file holds one document; remove the second `---` or split the file';
  return `YAML: ${message}`;
}

function keyAt(text: string, offset: number): string {
  const key = /^[^:\n]*/.exec(text.slice(offset))?.[0].trim() ?? '';
  return JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
}
