export * from './standups.js';
export * from './slack.js';
