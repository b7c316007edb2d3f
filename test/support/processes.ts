import { readdir, readFile } from 'node:fs/promises'

/**
 * The processes on this machine whose command line names `text` (Linux, by /proc): a data
 * folder's keeper and its server, which run detached from whoever started them.
 */
export async function processesNaming(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
  const naming = await Promise.all(
    pids.map(async (pid) => {
      try {
        return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(text) ? [Number(pid)] : []
      } catch {
        return [] // ended meanwhile
      }
    }),
  )
  return naming.flat()
}
