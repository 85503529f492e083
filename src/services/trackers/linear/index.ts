/* The Linear adapter (issue 21); see adapter.ts. */
export { createLinearAdapter, DEFAULT_LINEAR_TOKEN_ENV, type LinearAdapterOptions, linearClientAuth } from './adapter.js';
