import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';

export const TOOLS = ['github', 'jira', 'outlook', 'drive'] as const;
export type Tool = (typeof TOOLS)[number];

const Step = z.strictObject({
  /** Seconds (wall clock) after the previous step; the fast clock does not speed the script up. */
  after: z.number().min(0).max(600),
  tool: z.enum(TOOLS),
  /** A simulator control, by name (see docs/demo.md for the list per tool). */
  control: z.string().min(1),
  args: z.array(z.unknown()).default([]),
  /** Keep the control's result for later steps of the same loop: `{pr.number}`. */
  as: z
    .string()
    .regex(/^[a-z][A-Za-z0-9]*$/, 'a name such as pr or approval')
    .optional(),
  /** The line the demo prints when the step ran (placeholders allowed). */
  say: z.string().min(1),
});
export type TimelineStep = z.infer<typeof Step>;

const Timeline = z.strictObject({ steps: z.array(Step).min(1) });

/** `{n}` (the loop number) or `{name.path}` (an earlier step's result). */
const PLACEHOLDER = /\{([a-z][A-Za-z0-9]*)((?:\.[A-Za-z0-9_]+)*)\}/g;

export async function loadTimeline(file: string): Promise<TimelineStep[]> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const parsed = Timeline.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  checkPlaceholders(parsed.data.steps, file);
  return parsed.data.steps;
}

/** Every placeholder must name `n` or a result kept by an earlier step of the loop. */
function checkPlaceholders(steps: TimelineStep[], file: string): void {
  const known = new Set(['n']);
  steps.forEach((step, index) => {
    const own = step.as ? new Set([...known, step.as]) : known;
    for (const name of placeholderRoots(step.args)) {
      if (!known.has(name))
        throw new Error(`${file}: steps.${index}: {${name}…} is not kept by an earlier step`);
    }
    for (const name of placeholderRoots(step.say)) {
      if (!own.has(name)) throw new Error(`${file}: steps.${index}.say: {${name}…} is not known here`);
    }
    if (step.as) known.add(step.as);
  });
}

export function placeholderRoots(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(placeholderRoots);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholderRoots);
  return [];
}

/**
 * Fills placeholders: a string that is exactly one placeholder takes the value itself (a PR
 * number stays a number); placeholders inside longer strings are written as text.
 */
export function fillPlaceholders(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = /^\{([a-z][A-Za-z0-9]*)((?:\.[A-Za-z0-9_]+)*)\}$/.exec(value);
    if (whole) return lookup(vars, whole[1], whole[2]);
    return value.replace(PLACEHOLDER, (_, root: string, path: string) => String(lookup(vars, root, path)));
  }
  if (Array.isArray(value)) return value.map((entry) => fillPlaceholders(entry, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, vars)]));
  }
  return value;
}

function lookup(vars: Record<string, unknown>, root: string, path: string): unknown {
  let value: unknown = vars[root];
  for (const key of path.split('.').filter(Boolean)) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined) throw new Error(`{${root}${path}} has no value`);
  return value;
}
