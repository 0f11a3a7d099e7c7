import os from 'node:os'

/** What the machine was like: figures from a loaded or small machine read differently. */
export interface MachineConditions {
  readonly cpus: number
  readonly cpuModel: string
  readonly availableParallelism: number
  /** 1, 5 and 15 minute load averages. */
  readonly loadAverage: readonly [number, number, number]
  readonly totalMemoryBytes: number
  readonly freeMemoryBytes: number
  readonly nodeVersion: string
  readonly platform: string
  readonly arch: string
}

export function machineConditions(): MachineConditions {
  const cpus = os.cpus()
  const [one = 0, five = 0, fifteen = 0] = os.loadavg()
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    availableParallelism: os.availableParallelism(),
    loadAverage: [one, five, fifteen],
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    nodeVersion: process.version,
    platform: os.platform(),
    arch: os.arch(),
  }
}
