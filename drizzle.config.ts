import { defineConfig } from 'drizzle-kit';

/** `npm run db:generate` writes SQL migrations into migrations/ from src/db/schema (no database needed). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
