/**
 * Import boundaries (dependency-cruiser; `npm run deps:check`). The layers:
 *
 *   src/domain (pure rules) ← src/services (use cases, return models) ← src/slack (Bolt adapters, Block Kit)
 *                                                                      ← src/jobs (BullMQ queues and workers)
 *                                                                      ← src/api (read-only HTTP API), src/cli
 *                                                                      ← src/main.ts (wires everything)
 *
 * Beside them: src/config (the preflight.yml schema and its loader), src/db (drizzle schema and client),
 * src/clock.ts and src/logger.ts, used by services and above (src/db only by services, cli and main: slack, jobs
 * and api never import it). Outside src: sandbox/ (`npm run sandbox`, the Slack stand-in shared with the tests)
 * may import src, never the other way round.
 *
 * Decided here: src/domain imports nothing from src/config (issue 19): the vocabulary the config is written in
 * (Weekday, Question, severities, the declared program) lives in src/domain and config imports it; src/db/schema may import domain types
 * (column types such as BlockerStatus). A type-only import of a port interface that services define (Deps,
 * Wakeups) is how slack and jobs plug in; services never import slack or jobs, not even for a type.
 *
 * TypeScript sources import with the `.js` suffix (NodeNext); `tsConfig` lets the resolver map them to `.ts`,
 * and `tsPreCompilationDeps` keeps type-only imports in the graph so the rules see them too.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles (type-only ones included): split the shared part into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain holds pure rules: nothing from services, slack, jobs, db, main, the clock or the logger.',
      from: { path: '^src/domain/' },
      to: { path: '^src/(services|slack|jobs|db|metrics)/|^src/(main|clock|logger)\\.ts$' },
    },
    {
      name: 'domain-not-config',
      severity: 'error',
      comment:
        'src/domain imports nothing from src/config, not even a type: the domain owns its vocabulary (src/domain/program: severities, questions, the declared program) and config imports it from there.',
      from: { path: '^src/domain/' },
      to: { path: '^src/config/' },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'src/domain does no I/O: no Node built-ins, no Slack, database or Redis client.',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'],
        path: '^(node:)?[a-z_]+$|(^|/)node_modules/(@slack/|bullmq|ioredis|pg|drizzle-orm|pino)',
      },
    },
    {
      name: 'services-not-adapters',
      severity: 'error',
      comment: 'src/services must not import src/slack, src/jobs, src/metrics, src/api, src/cli or src/main.ts (ports they need, such as Observer, are defined in services).',
      from: { path: '^src/services/' },
      to: { path: '^src/(slack|jobs|metrics|api|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'slack-not-jobs',
      severity: 'error',
      comment: 'src/slack and src/jobs are sibling adapters over services: neither imports the other.',
      from: { path: '^src/slack/' },
      to: { path: '^src/jobs/' },
    },
    {
      name: 'jobs-not-slack',
      severity: 'error',
      comment: 'src/slack and src/jobs are sibling adapters over services: neither imports the other.',
      from: { path: '^src/jobs/' },
      to: { path: '^src/slack/' },
    },
    {
      name: 'adapters-not-db',
      severity: 'error',
      comment: 'src/slack, src/jobs and src/api are adapters over services: they never import src/db (not even a type); what they need from Postgres a service reads and returns as a model.',
      from: { path: '^src/(slack|jobs|api)/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'api-cli-apart',
      severity: 'error',
      comment:
        'src/api (the read-only HTTP API) and src/cli (command-line tools) are adapters over services like slack and jobs: none imports another ($1: within one adapter is fine); main.ts mounts the API on the Slack app server.',
      from: { path: '^src/(api|cli|slack|jobs)/' },
      to: { path: '^src/(api|cli|slack|jobs)/', pathNot: '^src/$1/' },
    },
    {
      name: 'metrics-is-a-leaf',
      severity: 'error',
      comment: "src/metrics (prom-client) is called by the edges (slack, jobs, main) and implements the services' Observer port; it imports none of the layers.",
      from: { path: '^src/metrics/' },
      to: { path: '^src/(slack|jobs|db|domain)/|^src/services/(?!observer\\.ts$)|^src/main\\.ts$' },
    },
    {
      name: 'only-main-wires',
      severity: 'error',
      comment: 'src/main.ts is the composition root: nothing imports it.',
      from: { path: '^src/', pathNot: '^src/main\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'db-below-services',
      severity: 'error',
      comment: 'src/db (schema, client, migrations) must not import services, slack, jobs or main.',
      from: { path: '^src/db/' },
      to: { path: '^src/(services|slack|jobs|api|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'config-below-services',
      severity: 'error',
      comment: 'src/config (schema and loader) must not import services, slack, jobs, db or main.',
      from: { path: '^src/config/' },
      to: { path: '^src/(services|slack|jobs|db|api|cli)/|^src/main\\.ts$' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      comment: 'Shipped code never imports tests, benchmarks or their helpers.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'src-not-sandbox',
      severity: 'error',
      comment: 'The sandbox (npm run sandbox: the Slack stand-in and its page) runs the bot from outside; shipped code never imports it, so it stays out of the runtime image.',
      from: { path: '^src/' },
      to: { path: '^sandbox/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve (a typo, or a file moved without its importers).',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment: 'Shipped code must not import devDependencies (npm ci --omit=dev leaves them out of the image).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
