/**
 * Prometheus text exposition, hand-written: hot-path counters are plain number increments on
 * Map entries keyed by a pre-built label string.
 */
const BUCKETS_MS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000]

export class Metrics {
  private readonly requests = new Map<string, number>()
  private readonly rejections = new Map<string, number>()
  paidCalls = 0
  /** Retried tickets answered again from their committed receipt (no new charge). */
  answersReplayed = 0
  paidAmount = 0n
  exactCalls = 0
  settlementBatches = 0
  settlementFailures = 0
  settlementGas = 0n
  settledAmount = 0n
  settledReceipts = 0
  groups = 0
  private readonly latency = new Array<number>(BUCKETS_MS.length + 1).fill(0)
  private latencySum = 0
  private latencyCount = 0

  request(route: string, status: number): void {
    const k = `route="${route}",status="${status}"`
    this.requests.set(k, (this.requests.get(k) ?? 0) + 1)
  }

  rejection(reason: string): void {
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1)
  }

  observe(ms: number): void {
    let i = 0
    while (i < BUCKETS_MS.length && ms > BUCKETS_MS[i]!) i++
    this.latency[i]!++
    this.latencySum += ms
    this.latencyCount++
  }

  render(extra: Record<string, number> = {}): string {
    const out: string[] = []
    out.push('# HELP sahara_node_requests_total HTTP requests by route and status.', '# TYPE sahara_node_requests_total counter')
    for (const [k, v] of this.requests) out.push(`sahara_node_requests_total{${k}} ${v}`)
    out.push('# HELP sahara_node_paid_calls_total Calls paid through a channel ticket.', '# TYPE sahara_node_paid_calls_total counter', `sahara_node_paid_calls_total ${this.paidCalls}`)
    out.push('# HELP sahara_node_answers_replayed_total Retried tickets answered again from their committed receipt (no new charge).', '# TYPE sahara_node_answers_replayed_total counter', `sahara_node_answers_replayed_total ${this.answersReplayed}`)
    out.push('# HELP sahara_node_paid_amount_total Amount charged on channels (token base units).', '# TYPE sahara_node_paid_amount_total counter', `sahara_node_paid_amount_total ${this.paidAmount}`)
    out.push('# HELP sahara_node_exact_calls_total Calls paid with x402 exact.', '# TYPE sahara_node_exact_calls_total counter', `sahara_node_exact_calls_total ${this.exactCalls}`)
    out.push('# HELP sahara_node_payment_rejections_total Rejected payments by reason.', '# TYPE sahara_node_payment_rejections_total counter')
    for (const [k, v] of this.rejections) out.push(`sahara_node_payment_rejections_total{reason="${k}"} ${v}`)
    out.push('# HELP sahara_node_receipt_groups_total Receipt groups committed and signed.', '# TYPE sahara_node_receipt_groups_total counter', `sahara_node_receipt_groups_total ${this.groups}`)
    out.push('# HELP sahara_node_settlement_batches_total Settlement transactions confirmed.', '# TYPE sahara_node_settlement_batches_total counter', `sahara_node_settlement_batches_total ${this.settlementBatches}`)
    out.push('# HELP sahara_node_settlement_failures_total Settlement transactions that failed.', '# TYPE sahara_node_settlement_failures_total counter', `sahara_node_settlement_failures_total ${this.settlementFailures}`)
    out.push('# HELP sahara_node_settlement_gas_total Gas used by settlements.', '# TYPE sahara_node_settlement_gas_total counter', `sahara_node_settlement_gas_total ${this.settlementGas}`)
    out.push('# HELP sahara_node_settled_amount_total Amount settled on-chain (voucher amounts submitted).', '# TYPE sahara_node_settled_amount_total counter', `sahara_node_settled_amount_total ${this.settledAmount}`)
    out.push('# HELP sahara_node_settled_receipts_total Receipts covered by recorded roots.', '# TYPE sahara_node_settled_receipts_total counter', `sahara_node_settled_receipts_total ${this.settledReceipts}`)
    for (const [k, v] of Object.entries(extra)) out.push(`# TYPE ${k} gauge`, `${k} ${v}`)
    // the standard process metrics (every thread of the node, the group writer thread included)
    const cpu = process.cpuUsage()
    out.push('# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.', '# TYPE process_cpu_seconds_total counter', `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`)
    out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.', '# TYPE process_resident_memory_bytes gauge', `process_resident_memory_bytes ${process.memoryUsage.rss()}`)
    out.push('# HELP sahara_node_request_duration_ms Latency of paid and free calls, ms.', '# TYPE sahara_node_request_duration_ms histogram')
    let cum = 0
    for (let i = 0; i < BUCKETS_MS.length; i++) {
      cum += this.latency[i]!
      out.push(`sahara_node_request_duration_ms_bucket{le="${BUCKETS_MS[i]}"} ${cum}`)
    }
    cum += this.latency[BUCKETS_MS.length]!
    out.push(`sahara_node_request_duration_ms_bucket{le="+Inf"} ${cum}`, `sahara_node_request_duration_ms_sum ${this.latencySum}`, `sahara_node_request_duration_ms_count ${this.latencyCount}`)
    return out.join('\n') + '\n'
  }
}
