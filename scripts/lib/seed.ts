import type pg from 'pg'

/**
 * Inserts `count` todos straight into the database, each with a deadline (so each is an event)
 * and text a calendar must escape; for tests and benchmarks that are not about the API.
 */
export async function seedTodos(pool: pg.Pool, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO todos (title, description, deadline_at)
     SELECT 'Todo ' || i || ', with a comma; and a semicolon', 'Description ' || i, timestamp '2030-01-01 09:00' + make_interval(mins => i)
     FROM generate_series(1, $1) AS i`,
    [count],
  )
}
