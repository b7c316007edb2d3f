/**
 * `npm run queue -- --name csse6400_prac --client-name "Client 1"`: the queue demo CLI without
 * Docker. Like the practical, it reads the Learner Lab credentials from ./credentials when
 * that file exists; otherwise the standard AWS chain (env, ~/.aws) applies.
 */
import './lib/quiet-sdk-warning.js'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { run } from '../containers/queue-cli/src/cli.js'
import { ROOT } from './lib/paths.js'

const credentials = join(ROOT, 'credentials')
if (existsSync(credentials)) process.env.AWS_SHARED_CREDENTIALS_FILE ??= credentials

process.exitCode = await run(process.argv)
