import {
  type DescribeClusterResponse,
  defaultDescribeClusterResponse,
} from '../../protocol/messages/describe-cluster-response.ts'
import type { GatewayContext } from '../context.ts'

/** The same one-node cluster Metadata describes. */
export function describeCluster(context: GatewayContext): DescribeClusterResponse {
  const { node } = context
  return {
    ...defaultDescribeClusterResponse(),
    clusterId: context.clusterId,
    controllerId: node.nodeId,
    brokers: [
      { brokerId: node.nodeId, host: node.host, port: node.port, rack: null, isFenced: false },
    ],
    clusterAuthorizedOperations: -2147483648,
  }
}
