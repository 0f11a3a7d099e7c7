import { Hono } from 'hono'
import { z } from 'zod'
import { MAX_SEQUENCE } from '../../common/sequences.ts'
import { BadRequestError } from '../../errors.ts'
import { MAX_PRODUCER_EPOCH, type ProducerIdentity } from '../../storage/producer-sequences.ts'
import type { HttpDeps } from '../deps.ts'
import { optionalJsonBody } from '../request-body.ts'

const initBody = z.object({ transactional_id: z.string().min(1).max(255).optional() }).strict()

/** The producer fields a produce request may carry: both, or neither. */
export const producerFields = {
  producer_id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  producer_epoch: z.number().int().min(0).max(MAX_PRODUCER_EPOCH).nullable().optional(),
}

/** A record's sequence on its partition. */
export const sequenceField = z.number().int().min(0).max(MAX_SEQUENCE).nullable().optional()

/** The producer a request speaks for, if it names one. */
export function producerOf(fields: {
  readonly producer_id?: number | null | undefined
  readonly producer_epoch?: number | null | undefined
}): ProducerIdentity | undefined {
  const { producer_id: producerId, producer_epoch: epoch } = fields
  if (producerId == null && epoch == null) return undefined
  if (producerId == null || epoch == null) {
    throw new BadRequestError('producer_id and producer_epoch go together: give both or neither.')
  }
  return { producerId, epoch }
}

/**
 * `POST /v3/clusters/{cluster}/producers`: a new idempotent producer session,
 * Kafka's InitProducerId. With a `transactional_id`, the same producer id at
 * its next epoch, which fences every older session of it.
 */
export function producerRoutes({ broker, clusterId }: HttpDeps): Hono {
  const app = new Hono()

  app.post('/', async (c) => {
    const { transactional_id: transactionalId } = await optionalJsonBody(c, initBody)
    const { producerId, epoch } = await broker.producers.initProducer(transactionalId)
    return c.json({
      kind: 'KafkaProducer',
      cluster_id: clusterId,
      producer_id: producerId,
      producer_epoch: epoch,
      ...(transactionalId !== undefined && { transactional_id: transactionalId }),
    })
  })

  return app
}
