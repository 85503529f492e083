export * from './standups.js';
export * from './slack.js';
export * from './blockers.js';
export * from './gonogo.js';
export * from './outbound.js';
export * from './people.js';
