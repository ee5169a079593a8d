import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMappingDir, loadMappingFile, loadMappingText } from './load-mapping.js';
import { formatMappingError, type MappingError } from './mapping-error.js';
import { minimalMapping, mutate } from './test-support.js';

function errorsOf(text: string): MappingError[] {
  const result = loadMappingText(text, 'plan.yaml');
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

describe('loadMappingText', () => {
  it('loads a valid file into a compiled plan', () => {
    const result = loadMappingText(minimalMapping, 'mappings/demo.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.key).toBe('demo');
    expect(result.plan.sourceFile).toBe('mappings/demo.yaml');
    expect(result.plan.phases.map((p) => p.key)).toEqual(['build', 'launch']);
  });

  // Each row breaks the minimal file in one way; line and column are where a person must look.
  const refused: {
    name: string;
    text: string;
    code: string;
    line: number;
    column: number;
    path?: unknown[];
  }[] = [
    {
      name: 'a YAML syntax error',
      text: mutate('  title: Demo', '  title: [Demo'),
      code: 'yaml_syntax',
      line: 6,
      column: 3,
    },
    {
      name: 'a key written twice in one mapping',
      text: mutate('  title: Demo\n', '  title: Demo\n  title: Again\n'),
      code: 'duplicate_key',
      line: 6,
      column: 3,
    },
    {
      name: 'an unknown top-level key, at the key',
      text: `${minimalMapping}colour: blue\n`,
      code: 'unknown_key',
      line: 26,
      column: 1,
      path: ['colour'],
    },
    {
      name: 'an unknown key inside the plan, at the key',
      text: mutate('  title: Demo', '  title: Demo\n  budget: 10k'),
      code: 'unknown_key',
      line: 6,
      column: 3,
      path: ['plan', 'budget'],
    },
    {
      name: 'a wrong type at a nested path, at the value',
      text: mutate('    owner: ben', '    owner: [ben]'),
      code: 'wrong_type',
      line: 19,
      column: 12,
      path: ['phases', 1, 'owner'],
    },
    {
      name: 'a missing required field, at the key of its parent mapping',
      text: mutate('  outcome: Something ships\n', ''),
      code: 'missing_field',
      line: 3,
      column: 1,
      path: ['plan', 'outcome'],
    },
    {
      name: 'a missing required field in a list item, at the item',
      text: mutate('    name: Launch\n', ''),
      code: 'missing_field',
      line: 17,
      column: 5,
      path: ['phases', 1, 'name'],
    },
    {
      name: 'a regex that does not compile',
      text: mutate('{ field: labels, equals: build }', '{ field: title, regex: "a(" }'),
      code: 'bad_regex',
      line: 25,
      column: 34,
      path: ['rules', 0, 'when', 'regex'],
    },
    {
      name: 'a selector naming a phase that does not exist',
      text: mutate('    phase: build', '    phase: buidl'),
      code: 'unknown_phase',
      line: 24,
      column: 12,
      path: ['rules', 0, 'phase'],
    },
    {
      name: 'an owner who is not in people',
      text: mutate('    owner: ana\n  - key: launch', '    owner: cara\n  - key: launch'),
      code: 'unknown_person',
      line: 16,
      column: 12,
      path: ['phases', 0, 'owner'],
    },
    {
      name: 'a dependency cycle, at the dependency that closes it',
      text: mutate(
        '    owner: ana\n  - key: launch',
        '    owner: ana\n    depends_on: [launch]\n  - key: launch',
      ),
      code: 'dependency_cycle',
      line: 21,
      column: 18,
      path: ['phases', 1, 'depends_on', 0],
    },
    {
      name: 'a time zone Intl does not know',
      text: mutate('  owner: ana\n', '  owner: ana\n  working_hours: { timezone: Mars/Olympus }\n'),
      code: 'bad_time_zone',
      line: 8,
      column: 30,
      path: ['plan', 'working_hours', 'timezone'],
    },
    {
      name: 'a phase key used twice',
      text: mutate('  - key: launch', '  - key: build'),
      code: 'duplicate_phase',
      line: 17,
      column: 10,
      path: ['phases', 1, 'key'],
    },
    {
      name: 'a person key used twice',
      text: mutate('  - key: ben', '  - key: ana'),
      code: 'duplicate_person',
      line: 11,
      column: 10,
      path: ['people', 1, 'key'],
    },
    {
      name: 'a second YAML document in the file',
      text: `${minimalMapping}---\nversion: 1\n`,
      code: 'yaml_syntax',
      line: 26,
      column: 1,
    },
    {
      name: 'a missing version, at the top of the file',
      text: mutate('version: 1\n', ''),
      code: 'missing_field',
      line: 1,
      column: 1,
      path: ['version'],
    },
    {
      name: 'an empty file',
      text: '',
      code: 'not_a_mapping_file',
      line: 1,
      column: 1,
    },
  ];

  it.each(refused)('refuses $name with its file:line:col', ({ text, code, line, column, path }) => {
    const errors = errorsOf(text);
    const error = errors.find((e) => e.code === code);
    expect(error, JSON.stringify(errors)).toBeDefined();
    expect({ file: error!.file, line: error!.line, column: error!.column }).toEqual({
      file: 'plan.yaml',
      line,
      column,
    });
    if (path) expect(error!.path).toEqual(path);
  });

  const codes: { name: string; text: string; code: string; message: RegExp }[] = [
    {
      name: 'an unknown rule type',
      text: mutate('  - type: selector', '  - type: selektor'),
      code: 'invalid_value',
      message: /rules\[0\]\.type: expected one of "selector", "follow_references", "state", "approval"/,
    },
    {
      name: 'a misspelt condition operator, with a hint',
      text: mutate('equals: build', 'equalz: build'),
      code: 'unknown_key',
      message: /did you mean equals\?/,
    },
    {
      name: 'a condition on a field records do not have',
      text: mutate('field: labels', 'field: lables'),
      code: 'unknown_field',
      message: /unknown field "lables".*did you mean labels\?/,
    },
    {
      name: 'two operators in one field test',
      text: mutate('equals: build', 'equals: build, in: [a]'),
      code: 'invalid_condition',
      message: /one operator per field test/,
    },
    {
      name: 'a phase due before it starts',
      text: mutate(
        '    name: Build\n',
        '    name: Build\n    starts_on: 2026-10-10\n    due_on: 2026-10-01\n',
      ),
      code: 'date_order',
      message: /due_on 2026-10-01 is before starts_on 2026-10-10/,
    },
    {
      name: 'a plan whose target date precedes its start',
      text: mutate('  owner: ana\n', '  owner: ana\n  starts_on: 2026-12-01\n  target_date: 2026-11-01\n'),
      code: 'date_order',
      message: /target_date 2026-11-01 is before starts_on 2026-12-01/,
    },
    {
      name: 'an SLA of zero',
      text: `${minimalMapping}handoffs:\n  sla: { review: 0h }\n`,
      code: 'bad_duration',
      message: /must be longer than zero/,
    },
    {
      name: 'an SLA in fractional working days',
      text: `${minimalMapping}handoffs:\n  sla: { approval: 1.5d }\n`,
      code: 'bad_duration',
      message: /working days are whole/,
    },
    {
      name: 'an SLA that is not a duration',
      text: `${minimalMapping}handoffs:\n  sla: { review: 8 hours }\n`,
      code: 'invalid_format',
      message: /a duration like 30m, 8h or 2d/,
    },
    {
      name: 'escalation levels used twice',
      text: `${minimalMapping}handoffs:\n  escalation:\n    - { level: 1, after: 1, notify: receiver }\n    - { level: 1, after: 2, notify: phase_owner }\n`,
      code: 'duplicate_escalation_level',
      message: /level 1 is already defined by escalation\[0\]/,
    },
    {
      name: 'an escalation level that fires no later than the one below',
      text: `${minimalMapping}handoffs:\n  escalation:\n    - { level: 2, after: 1, notify: phase_owner }\n    - { level: 1, after: 2, notify: receiver }\n`,
      code: 'escalation_order',
      message: /level 2 fires at 1× the SLA, not later than level 1 \(2×\)/,
    },
    {
      name: 'working hours that end before they start',
      text: mutate(
        '  owner: ana\n',
        '  owner: ana\n  working_hours: { timezone: UTC, start: "18:00", end: "09:00" }\n',
      ),
      code: 'working_hours_order',
      message: /end 09:00 is not after start 18:00/,
    },
    {
      name: 'a holiday region the calendar does not have',
      text: mutate(
        '  owner: ana\n',
        '  owner: ana\n  working_hours: { timezone: Europe/Berlin, holidays: { country: DE, region: XX } }\n',
      ),
      code: 'unknown_holiday_calendar',
      message: /no region "XX" in DE/,
    },
    {
      name: 'two people claiming one GitHub login',
      text: mutate('    name: Ben\n', '    name: Ben\n    identities: { github: Ana-Dev }\n').replace(
        '    name: Ana\n',
        '    name: Ana\n    identities: { github: ana-dev }\n',
      ),
      code: 'duplicate_identity',
      message: /github identity "Ana-Dev" also belongs to ana/,
    },
    {
      name: 'a selector after one that takes every record of its connection',
      text: mutate(
        '    when: { field: labels, equals: build }\n',
        '  - type: selector\n    connection: jira\n    phase: launch\n',
      ),
      code: 'unreachable_rule',
      message: /never matches: rules\[0\] already takes every record of "jira"/,
    },
    {
      name: 'a state rule with neither raw nor when',
      text: `${minimalMapping}  - type: state\n    connection: jira\n    state: blocked\n`,
      code: 'empty_rule',
      message: /a state rule needs raw or when/,
    },
    {
      name: 'an alias without an anchor',
      text: mutate('  owner: ana', '  owner: *lead'),
      code: 'yaml_alias',
      message: /alias \*lead has no anchor/,
    },
  ];

  it.each(codes)('refuses $name', ({ text, code, message }) => {
    const errors = errorsOf(text);
    expect(
      errors.some((e) => e.code === code && message.test(e.message)),
      errors.map(formatMappingError).join('\n'),
    ).toBe(true);
  });

  it('reports every problem in the file, not only the first', () => {
    const text = mutate('    phase: build', '    phase: buidl')
      .replace('    owner: ben', '    owner: cara')
      .replace('  title: Demo', '  title: Demo\n  budget: 10k');
    expect(errorsOf(text).map((e) => e.code)).toEqual(['unknown_key', 'unknown_person', 'unknown_phase']);
  });

  it('still checks references when another part of the file is invalid', () => {
    const text = mutate('    name: Launch\n', '').replace('    phase: build', '    phase: nowhere');
    expect(errorsOf(text).map((e) => e.code)).toEqual(['missing_field', 'unknown_phase']);
  });

  it('formats an error as file:line:col: message (code)', () => {
    const [error] = errorsOf(mutate('    phase: build', '    phase: buidl'));
    expect(formatMappingError(error)).toBe(
      'plan.yaml:24:12: rules[0].phase: unknown phase "buidl" (did you mean build?) — phases are build, launch (unknown_phase)',
    );
  });
});

describe('loadMappingDir', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('loads every example plan in mappings/', async () => {
    const result = await loadMappingDir('mappings');
    expect(result.errors.map(formatMappingError)).toEqual([]);
    expect(result.plans.map((p) => p.key).sort()).toEqual(['checkout-rollout', 'vendor-onboarding']);
  });

  it('refuses the second file claiming a plan key, naming both files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-mappings-'));
    await writeFile(join(dir, 'a.yaml'), minimalMapping);
    await writeFile(join(dir, 'b.yml'), minimalMapping);
    await writeFile(join(dir, 'notes.txt'), 'not a mapping');
    const result = await loadMappingDir(dir);
    expect(result.plans.map((p) => p.sourceFile)).toEqual([join(dir, 'a.yaml')]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      code: 'duplicate_plan',
      file: join(dir, 'b.yml'),
      line: 4,
      column: 8,
    });
    expect(result.errors[0].message).toContain(join(dir, 'a.yaml'));
  });

  it('reports a directory it cannot read', async () => {
    const result = await loadMappingDir('/nonexistent/baton-mappings');
    expect(result.errors.map((e) => e.code)).toEqual(['dir_unreadable']);
  });

  it('reports a file it cannot read', async () => {
    const result = await loadMappingFile('/nonexistent/plan.yaml');
    expect(result.ok ? [] : result.errors.map((e) => e.code)).toEqual(['file_unreadable']);
  });
});

describe('outgoing webhook channels', () => {
  it('refuses an escalation webhook aimed at a cloud metadata address', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync('mappings/checkout-rollout.yaml', 'utf8').replace(
      /channel: tool \}/,
      'channel: "webhook:http://169.254.169.254/latest/meta-data" }',
    );
    const result = loadMappingText(text, 'hostile.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.code)).toContain('forbidden_webhook_url');
  });
});
