import type { Context } from 'aws-lambda'
import type { Observability } from './powertools.ts'

export type LambdaHandler<Event, Result> = (event: Event, context: Context) => Promise<Result>

/**
 * Wraps a handler so every invocation logs with its Lambda context, traces as
 * its own subsegment, and publishes the metrics it gathered (plus the cold
 * start) even when it fails. This is what Powertools' middy middlewares do,
 * without taking middy on.
 */
export function observedHandler<Event, Result>(
  handler: LambdaHandler<Event, Result>,
  { logger, metrics, tracer }: Observability,
): LambdaHandler<Event, Result> {
  return async (event, context) => {
    logger.addContext(context)
    metrics.captureColdStartMetric(context.functionName)
    const segment = tracer.getSegment()
    const subsegment = segment?.addNewSubsegment(`## ${context.functionName}`)
    if (subsegment) tracer.setSegment(subsegment)
    tracer.annotateColdStart()
    tracer.addServiceNameAnnotation()
    try {
      return await handler(event, context)
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error)
      logger.error('invocation failed', error as Error)
      throw error
    } finally {
      subsegment?.close()
      if (segment) tracer.setSegment(segment)
      metrics.publishStoredMetrics()
    }
  }
}
