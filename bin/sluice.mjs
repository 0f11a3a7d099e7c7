#!/usr/bin/env node
// The `sluice` command npm links: tsx, resolved from this package, runs the TypeScript entry point.
import { register } from 'tsx/esm/api'

register()
await import('./sluice.ts')
