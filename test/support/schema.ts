import type { Queryable } from '@taskoverflow/shared'

/**
 * Everything PostgreSQL's catalogs say about the public schema that a migration decides:
 * columns (order, type, null, default, identity), constraints, indexes, sequences and triggers.
 * Two databases with equal descriptions have the same schema; the rows in them do not count.
 */
export async function describeSchema(db: Queryable): Promise<Record<string, unknown[]>> {
  const rows = async (sql: string) => (await db.query(sql)).rows
  return {
    columns: await rows(`
      SELECT table_name, ordinal_position, column_name, data_type, character_maximum_length, datetime_precision,
             is_nullable, column_default, is_identity, identity_generation
      FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`),
    constraints: await rows(`
      SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`),
    indexes: await rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"),
    sequences: await rows(`
      SELECT s.relname AS sequence_name, d.refobjid::regclass::text AS owned_by, a.attname AS column_name, q.seqtypid::regtype::text AS type, q.seqstart, q.seqincrement
      FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid
      LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
      LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE s.relnamespace = 'public'::regnamespace ORDER BY 1`),
    triggers: await rows("SELECT tgrelid::regclass::text AS table_name, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"),
  }
}
