import { fileURLToPath } from 'node:url'

/** The repository root, whatever the current directory. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The compiled service entry points, as the images run them (`npm run build` makes them). */
export const SERVICE_ENTRY = {
  api: `${ROOT}containers/api/dist/server.js`,
  worker: `${ROOT}containers/worker/dist/main.js`,
} as const
