import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { seg } from './api.ts'

export interface Cluster {
  readonly id: string
  /** A v3 path under this cluster: `path('/topics')` is `/v3/clusters/{id}/topics`. */
  readonly path: (suffix: string) => string
}

export function clusterOf(id: string): Cluster {
  return { id, path: (suffix) => `/v3/clusters/${seg(id)}${suffix}` }
}

export const ClusterContext = createContext<Cluster>(clusterOf(''))

export const useCluster = () => useContext(ClusterContext)
