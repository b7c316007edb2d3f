/**
 * `npm run queue -- --name csse6400_prac --client-name "Client 1"`: the queue demo CLI without
 * Docker. Like the practical, it reads the Learner Lab credentials from ./credentials (or
 * TASKOVERFLOW_CREDENTIALS_FILE) when that file exists; otherwise the standard AWS chain (env, ~/.aws) applies.
 */
import { run } from '../containers/queue-cli/src/cli.js'
import { useCredentialsFile } from '../stacks/credentials-file.js'
import { ROOT } from './lib/paths.js'

useCredentialsFile(process.env, ROOT)

process.exitCode = await run(process.argv)
