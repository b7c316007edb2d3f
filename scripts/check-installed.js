// Run by npm before `npm start` and `npm test` (prestart, pretest), on whatever Node the machine
// has: without the packages `npm ci` installs, Node's own error ("Cannot find package 'tsx'") says
// nothing of what to do. Plain JavaScript with no imports but Node's, so it runs before them.
import { existsSync } from 'node:fs'

if (!existsSync(new URL('../node_modules/tsx/package.json', import.meta.url))) {
  console.error("This project's packages are not installed: run `npm ci` first (about a minute), then this command again.")
  process.exit(1)
}
