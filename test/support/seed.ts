import type pg from 'pg'

/**
 * Inserts `count` todos straight into the database, each with a deadline (so each is an event)
 * and text a calendar must escape; for tests and benchmarks that are not about the API. Every
 * column is given, so it fills the original's table too (its defaults live in Python).
 */
/** Exactly `count` seeded todos, whatever was there before. */
export async function replaceTodos(pool: pg.Pool, count: number): Promise<void> {
  await pool.query('TRUNCATE todos RESTART IDENTITY')
  await seedTodos(pool, count)
}

export async function seedTodos(pool: pg.Pool, count: number): Promise<void> {
  await pool.query(
    `INSERT INTO todos (title, description, completed, deadline_at, created_at, updated_at)
     SELECT 'Todo ' || i || ', with a comma; and a semicolon', 'Description ' || i, false, timestamp '2030-01-01 09:00' + make_interval(mins => i),
            now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
     FROM generate_series(1, $1) AS i`,
    [count],
  )
}

/**
 * `count` todos each as large as the API lets a todo be, in the text that costs a calendar most:
 * an 80-character title and a 120-character description of emoji (two UTF-16 units in memory,
 * four bytes in UTF-8, and lines the calendar must fold), for the worker's memory at MAX_TODOS.
 */
export async function seedLargestTodos(pool: pg.Pool, count: number): Promise<void> {
  await pool.query('TRUNCATE todos RESTART IDENTITY')
  await pool.query(
    `INSERT INTO todos (title, description, completed, deadline_at, created_at, updated_at)
     SELECT repeat('📅', 80), repeat('📅', 120), false, timestamp '2030-01-01 09:00' + make_interval(mins => i), now() AT TIME ZONE 'utc', now() AT TIME ZONE 'utc'
     FROM generate_series(1, $1) AS i`,
    [count],
  )
}
