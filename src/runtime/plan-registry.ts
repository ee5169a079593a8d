import type { CompiledPlan } from '../domain/plan.js';

/** The plans in force. The mapping loader replaces them; readers always see a whole set. */
export class PlanRegistry {
  #plans: CompiledPlan[] = [];
  #errors: string[] = [];

  constructor(plans: CompiledPlan[] = []) {
    this.#plans = plans;
  }

  all(): CompiledPlan[] {
    return this.#plans;
  }

  get(key: string): CompiledPlan | undefined {
    return this.#plans.find((p) => p.key === key);
  }

  /** Plans that read a connection. */
  readers(connection: string): CompiledPlan[] {
    return this.#plans.filter((p) => p.connections.includes(connection));
  }

  replace(plans: CompiledPlan[], errors: string[] = []): void {
    this.#plans = plans;
    this.#errors = errors;
  }

  /** Problems in mapping files, formatted `file:line:col: message` (the last good version stays in force). */
  errors(): string[] {
    return this.#errors;
  }
}
