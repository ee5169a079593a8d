import { mulberry32 } from '../../../src/connectors/kit/seeded-random.js';

/** A seeded generator, so a failing run can be replayed with its seed. */
export const seededRandom = mulberry32;

/** The seed from FAULT_SEED, else a fresh one; tests put it in their names so a failure can be replayed. */
export function faultSeed(): number {
  const given = Number(process.env.FAULT_SEED);
  return Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
}
