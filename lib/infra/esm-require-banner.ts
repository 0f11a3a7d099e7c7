/**
 * esbuild's ESM output turns a CommonJS `require` into a stub that throws,
 * and some bundled packages still require Node built-ins; put at the top of a
 * bundle, this gives them a real `require`.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);"
