/** One finding of `baton doctor`. `fix` says what to do about a warning or failure. */
export interface Check {
  /** What was checked: `database`, `github: credentials` … */
  name: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}

export const ok = (name: string, detail: string): Check => ({ name, status: 'ok', detail });
export const warn = (name: string, detail: string, fix: string): Check => ({
  name,
  status: 'warn',
  detail,
  fix,
});
export const fail = (name: string, detail: string, fix: string): Check => ({
  name,
  status: 'fail',
  detail,
  fix,
});
export const skip = (name: string, detail: string): Check => ({ name, status: 'skip', detail });

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' } as const;

export function formatCheck(check: Check): string {
  const line = `[${MARK[check.status]}] ${check.name}: ${check.detail}`;
  return check.fix ? `${line}\n       fix: ${check.fix}` : line;
}

export function summarise(checks: Check[]): string {
  const count = (status: Check['status']) => checks.filter((c) => c.status === status).length;
  return `${count('ok')} ok, ${count('warn')} warnings, ${count('fail')} failed, ${count('skip')} skipped`;
}
