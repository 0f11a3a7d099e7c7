/** Writes the Kafka gateway's bundle (lib/infra/kafka-gateway-bundle.ts) to the path given. */
import { bundleKafkaGateway } from '../lib/infra/kafka-gateway-bundle.ts'

const [outfile] = process.argv.slice(2)
if (outfile === undefined) {
  console.error('usage: node --import tsx bin/build-kafka-gateway.ts <outfile.mjs>')
  process.exit(2)
}
await bundleKafkaGateway(outfile)
