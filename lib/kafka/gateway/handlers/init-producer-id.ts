/**
 * InitProducerId for idempotent producers. As Kafka's coordinator does when
 * no transactional id is given, every request gets a fresh producer id at
 * epoch 0, including a client's re-init with its current id and epoch after a
 * failed batch (KIP-360): its sequences start again at 0 under the new id.
 *
 * A transactional id asks for transactions, which Sluice does not offer. The
 * answer is UNSUPPORTED_VERSION, the code brokers with transactions switched
 * off give (Redpanda's enable_transactions=false), and no authorization error
 * sends the user looking for ACLs that do not exist. FindCoordinator still
 * names this node for a transactional id: refused there, kafkajs and
 * librdkafka report only that no coordinator was found, while refused here,
 * the Java client, kafkajs and librdkafka all fail initTransactions with
 * UNSUPPORTED_VERSION.
 */
import { ErrorCode } from '../../protocol/error-codes.ts'
import type { InitProducerIdRequest } from '../../protocol/messages/init-producer-id-request.ts'
import {
  defaultInitProducerIdResponse,
  type InitProducerIdResponse,
} from '../../protocol/messages/init-producer-id-response.ts'
import type { GatewayContext } from '../context.ts'
import { errorCodeFor } from '../error-codes.ts'

/** RecordBatch.NO_PRODUCER_ID and NO_PRODUCER_EPOCH: a first init, not a re-init. */
const NO_PRODUCER = -1

function failed(errorCode: number): InitProducerIdResponse {
  return { ...defaultInitProducerIdResponse(), errorCode, producerEpoch: NO_PRODUCER }
}

export async function initProducerId(
  context: GatewayContext,
  request: InitProducerIdRequest,
): Promise<InitProducerIdResponse> {
  // Kafka's own checks: an empty transactional id, and an id without an epoch (or the reverse).
  if (request.transactionalId === '') return failed(ErrorCode.INVALID_REQUEST)
  if (request.transactionalId !== null) return failed(ErrorCode.UNSUPPORTED_VERSION)
  if ((request.producerId === NO_PRODUCER) !== (request.producerEpoch === NO_PRODUCER)) {
    return failed(ErrorCode.INVALID_REQUEST)
  }
  try {
    const { producerId, epoch } = await context.broker.producers.initProducer(
      undefined,
      context.clock(),
    )
    return { ...defaultInitProducerIdResponse(), producerId, producerEpoch: epoch }
  } catch (error) {
    return failed(errorCodeFor(error))
  }
}
