import { resolve } from 'node:path'
import { Command } from 'commander'
import { type CliIo, note, writeLine } from '../io.ts'

/** Loaded when the bench runs: it brings the whole server, which other commands need not load. */
async function bench() {
  const [
    cells,
    clientReport,
    consumerReport,
    environment,
    kafkaReport,
    maintenanceReport,
    report,
    run,
  ] = await Promise.all([
    import('../../bench/cells.ts'),
    import('../../bench/client-producer-report.ts'),
    import('../../bench/consumer-report.ts'),
    import('../../bench/environment.ts'),
    import('../../bench/kafka-report.ts'),
    import('../../bench/maintenance-report.ts'),
    import('../../bench/report.ts'),
    import('../../bench/run.ts'),
  ])
  return {
    ...cells,
    ...clientReport,
    ...consumerReport,
    ...environment,
    ...kafkaReport,
    ...maintenanceReport,
    ...report,
    ...run,
  }
}

/** `sluice bench` (`npm run bench`): throughput, latency, storage floor and cost per GiB. */
export function benchCommand(io: CliIo): Command {
  return new Command('bench')
    .description("measure Sluice's produce, read, maintenance, consumer and client throughput")
    .option('--quick', 'tiny volumes: a smoke run that finishes in seconds')
    .addHelpText(
      'after',
      `
Starts local engines (in memory) unless AWS_ENDPOINT_URL is set, and works on
fresh tables and a bucket of its own. Progress goes to stderr, the report to
stdout, and the figures as JSON to bench-results/.`,
    )
    .action(async (options: { quick?: boolean }) => {
      const {
        benchPlan,
        openEnvironment,
        renderClientProducerReport,
        renderConsumerReport,
        renderKafkaReport,
        renderMaintenanceReport,
        renderReport,
        runBench,
        writeResultsJson,
      } = await bench()
      const progress = (line: string) => note(io, `bench: ${line}`)
      progress('starting engines and creating tables…')
      const environment = await openEnvironment()
      let closing: Promise<void> | undefined
      const close = () => {
        closing ??= environment.close()
        return closing
      }
      // Ctrl-C must not leave a JVM or a temporary directory behind; the run then fails and ends.
      io.signal.addEventListener('abort', () => void close(), { once: true })
      try {
        const results = await runBench(
          benchPlan(options.quick ? 'quick' : 'full'),
          environment,
          progress,
        )
        await writeLine(io.stdout, renderReport(results))
        await writeLine(io.stdout, `\n${renderMaintenanceReport(results.maintenance)}`)
        await writeLine(io.stdout, `\n${renderConsumerReport(results.consumers)}`)
        await writeLine(io.stdout, `\n${renderClientProducerReport(results.clientProducer)}`)
        await writeLine(io.stdout, `\n${renderKafkaReport(results.kafka, results.clientProducer)}`)
        const path = await writeResultsJson(results, resolve('bench-results'))
        await writeLine(io.stdout, `\nJSON: ${path}`)
      } finally {
        await close()
      }
    })
}
