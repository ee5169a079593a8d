export * from './contract.js';
export * from './pacing.js';
export * from './registry.js';
export * from './tombstone.js';
