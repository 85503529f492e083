export * from './standups.js';
export * from './slack.js';
export * from './blockers.js';
export * from './gonogo.js';
export * from './outbound.js';
export * from './people.js';
export * from './tasks.js';
export * from './digests.js';
