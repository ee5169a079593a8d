/** A configuration problem: the process stops with exit code 2 and this message. */
export class ConfigError extends Error {
  readonly code = 'bad_config';
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
