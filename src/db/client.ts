import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';

/** The drizzle database; `$client` is its pg pool (for what drizzle does not do, such as streaming a cursor). */
export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** A pg pool and the drizzle database on top of it. Close with `pool.end()`. */
export interface Database {
  pool: pg.Pool;
  db: Db;
}

/**
 * Opens a pool to `url`. Connection errors (a restarted server drops its clients) are logged, never thrown.
 * @param onError receives the errors of idle clients and of clients checked out between two queries.
 */
export function openDatabase(url: string, onError: (err: Error) => void = () => {}, max = 10): Database {
  // idle connections are kept 5 minutes: Slack traffic comes in bursts, and opening Postgres backends during a
  // burst cost 57-214 ms per request in the /blocker benchmark (bench/RESULTS-blockers.md)
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 300_000 });
  pool.on('error', onError);
  // pg-pool listens for errors only while a client is idle: a connection killed while checked out (between two
  // statements of a transaction, say) would emit an unhandled 'error' and end the process. The query in
  // progress or the next one fails instead, and the pool discards the client when it is released.
  pool.on('connect', (client) => client.on('error', onError));
  return { pool, db: drizzle(pool, { schema }) };
}
