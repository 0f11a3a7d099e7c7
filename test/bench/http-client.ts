import type { Hono } from 'hono'

/** One page of a partition read, as the bench needs it. */
export interface ReadPage {
  readonly records: number
  readonly valueBytes: number
  readonly nextOffset: number
  readonly latestOffset: number
}

interface ReadBody {
  readonly data: readonly { readonly value: { readonly data: string } | null }[]
  readonly next_offset: number
  readonly latest_offset: number
}

interface BatchReport {
  readonly successes: readonly unknown[]
  readonly failures: readonly { readonly id: string; readonly message?: string }[]
}

/** Bytes behind a base64 string, without decoding it. */
function base64Length(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  return (text.length / 4) * 3 - padding
}

/**
 * Talks to the Hono app in this process with `app.request`: every request goes
 * through routing, body limits, parsing and validation, as over a socket, but
 * without a network stack whose cost would belong to neither Sluice nor the engines.
 */
export class InProcessClient {
  constructor(
    private readonly app: Hono,
    private readonly clusterId: string,
  ) {}

  /** Sends a v3 `records:batch` body; fails unless every entry was produced. */
  async produceBatch(topic: string, body: string): Promise<void> {
    const response = await this.app.request(this.topicPath(topic, 'records:batch'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    const report = (await response.json()) as BatchReport
    if (response.status !== 207 || report.failures.length > 0) {
      const detail = report.failures[0]?.message ?? JSON.stringify(report)
      throw new Error(`Produce to '${topic}' failed (HTTP ${response.status}): ${detail}`)
    }
  }

  /** Starts an idempotent producer session: `POST /producers`. */
  async initProducer(): Promise<{ producer_id: number; producer_epoch: number }> {
    const response = await this.app.request(`/v3/clusters/${this.clusterId}/producers`, {
      method: 'POST',
    })
    if (response.status !== 200) {
      throw new Error(`Producer init failed (HTTP ${response.status}): ${await response.text()}`)
    }
    return (await response.json()) as { producer_id: number; producer_epoch: number }
  }

  async readPage(
    topic: string,
    partition: number,
    offset: number,
    limits: { readonly maxRecords: number; readonly maxBytes: number },
  ): Promise<ReadPage> {
    const query = `offset=${offset}&max_records=${limits.maxRecords}&max_bytes=${limits.maxBytes}`
    const response = await this.app.request(
      `${this.topicPath(topic, `partitions/${partition}/records`)}?${query}`,
    )
    if (response.status !== 200) {
      throw new Error(
        `Read of '${topic}'/${partition} failed (HTTP ${response.status}): ${await response.text()}`,
      )
    }
    const body = (await response.json()) as ReadBody
    return {
      records: body.data.length,
      valueBytes: body.data.reduce((sum, r) => sum + (r.value ? base64Length(r.value.data) : 0), 0),
      nextOffset: body.next_offset,
      latestOffset: body.latest_offset,
    }
  }

  private topicPath(topic: string, rest: string): string {
    return `/v3/clusters/${this.clusterId}/topics/${encodeURIComponent(topic)}/${rest}`
  }
}
