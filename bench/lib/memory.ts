import { readdirSync, readFileSync } from 'node:fs'

/** Peak resident memory of a process, from the kernel (VmHWM). */
export function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!
  return Number(line.replace(/\D+/g, '')) / 1024
}

/** Resident memory of a process and all its descendants (Celery's prefork pool is children). */
function treeRssMb(pid: number): number {
  let kb = 0
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8')
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim()
        for (const child of children ? children.split(' ') : []) visit(Number(child))
      }
    } catch {
      // the process ended while being read
    }
  }
  visit(pid)
  return kb / 1024
}

/** Samples `treeRssMb` every 20 ms until stopped; returns the peak. */
export function watchPeakRss(pid: number): () => number {
  let peak = treeRssMb(pid)
  const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(pid))), 20)
  return () => {
    clearInterval(timer)
    return Math.max(peak, treeRssMb(pid))
  }
}
