import type { Queryable } from '@taskoverflow/shared'

/**
 * Makes every attempt at one job fail where a real failure would: the database refuses to
 * store its result. Nothing in the services is stubbed.
 */
export async function refuseResultOf(db: Queryable, jobId: string, message: string): Promise<void> {
  await db.query(`
    CREATE OR REPLACE FUNCTION refuse_doomed_result() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.id = '${jobId}'::uuid AND NEW.status = 'SUCCESS' THEN
        RAISE EXCEPTION '${message.replace(/'/g, "''")}';
      END IF;
      RETURN NEW;
    END $$`)
  await db.query('DROP TRIGGER IF EXISTS refuse_doomed_result ON ical_jobs')
  await db.query('CREATE TRIGGER refuse_doomed_result BEFORE UPDATE ON ical_jobs FOR EACH ROW EXECUTE FUNCTION refuse_doomed_result()')
}
