import { Duration } from 'aws-cdk-lib'
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam'
import { type FunctionUrl, FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { AUTH_MODE_VARIABLE, type AuthMode } from '../auth/auth-mode.ts'
import { API_SERVICE } from '../observability/metric-names.ts'
import { type TableId, tableDefinitions } from '../storage/tables.ts'
import { type FunctionSettings, SluiceFunction } from './sluice-function.ts'
import type { SluiceStorage } from './storage.ts'
import type { StorageAccess, TableAccess } from './storage-access.ts'

export interface SluiceApiProps extends FunctionSettings {
  readonly storage: SluiceStorage
  readonly authMode: AuthMode
  /** Largest request body the API accepts (SLUICE_MAX_REQUEST_BYTES); Lambda's own cap is 6 MB. */
  readonly maxRequestBytes?: number
  readonly memorySize: number
}

/**
 * What the API may touch: every table read-write, since it serves every
 * resource, except the API keys, which it only reads, and only in api-key
 * mode. Objects it writes and reads but never deletes (that is GC's job).
 */
function apiAccess(authMode: AuthMode): StorageAccess {
  const tables: Partial<Record<TableId, TableAccess>> = {}
  for (const tableId of Object.keys(tableDefinitions) as TableId[]) {
    if (tableId !== 'apiKeys') tables[tableId] = 'read-write'
  }
  if (authMode === 'api-key') tables.apiKeys = 'read'
  return { tables, bucket: ['read', 'put'] }
}

/**
 * The API: functions/api.ts behind a Lambda function URL. A function URL
 * rather than an API Gateway HTTP API: no 30 s integration timeout (reads long
 * poll for up to 30 s), response streaming available, no per-request
 * gateway price, and IAM auth all the same; README.md weighs it in full.
 */
export class SluiceApi extends Construct {
  readonly handler: SluiceFunction
  readonly url: FunctionUrl

  constructor(scope: Construct, id: string, props: SluiceApiProps) {
    super(scope, id)
    this.handler = new SluiceFunction(this, 'Handler', {
      ...props,
      entry: 'functions/api.ts',
      description: 'Sluice API: produce, read and admin (Confluent REST Proxy compatible)',
      serviceName: API_SERVICE,
      access: apiAccess(props.authMode),
      // A long-polling read may wait 30 s and a contended commit retries for up to 20 s.
      timeout: Duration.seconds(60),
      memorySize: props.memorySize,
      environment: {
        [AUTH_MODE_VARIABLE]: props.authMode,
        // The API may not delete objects, so garbage collection stays with its schedule.
        SLUICE_MAINTENANCE_RUN_TASKS: 'merge,compact,retention',
        ...(props.maxRequestBytes !== undefined && {
          SLUICE_MAX_REQUEST_BYTES: String(props.maxRequestBytes),
        }),
      },
    })
    this.url = this.handler.function.addFunctionUrl({
      // In api-key mode AWS lets every request through and the function checks the key.
      authType: props.authMode === 'iam' ? FunctionUrlAuthType.AWS_IAM : FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.BUFFERED,
    })
  }

  /** Lets a role or user call the API in iam mode (lambda:InvokeFunctionUrl on this function). */
  grantInvoke(grantee: IGrantable): Grant {
    return this.handler.function.grantInvokeUrl(grantee)
  }
}
