export * from './contract.js';
export * from './history.js';
export * from './on-first-use.js';
export * from './pacing.js';
export * from './registry.js';
export * from './seeded-random.js';
export * from './stoppable.js';
export * from './tombstone.js';
