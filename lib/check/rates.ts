import type { FaultRates } from './fault-layer.ts'

/**
 * The faults a check injects by default: enough that every kind fires many
 * times in a short run, few enough that the SDK's and the client's retries
 * still carry almost every call through.
 */
export const DEFAULT_FAULT_RATES: FaultRates = {
  lostAnswer: 0.02,
  lostAnswerUnretried: 0.05,
  throttle: 0.01,
  serverError: 0.01,
  slowS3: 0.03,
  slowS3Ms: 200,
  lostHttpAnswer: 0.03,
  httpUnavailable: 0.02,
}
