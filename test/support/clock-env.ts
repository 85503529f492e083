/**
 * libfaketime's variables (`LD_PRELOAD`, `FAKETIME`, `FAKETIME_*`, `DONT_FAKE_MONOTONIC`), set when the suite runs
 * under test/support/run-at.sh. A bot process a test starts must see the same shifted clock as the test (Slack
 * request signatures carry a timestamp; delays and "today" are computed in both); the Postgres and Redis servers
 * a test starts must not, like the shared ones, which faketime never reaches.
 */
const isFakeClockVar = (name: string) => name === 'LD_PRELOAD' || name === 'DONT_FAKE_MONOTONIC' || name.startsWith('FAKETIME');

/** The libfaketime variables of this process (none outside run-at.sh), to pass to a child that shares the test's clock. */
export function fakeClockEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => isFakeClockVar(e[0]) && e[1] !== undefined));
}

/** This process's environment without libfaketime's variables: for servers that keep the real clock. */
export function realClockEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !isFakeClockVar(name)));
}
