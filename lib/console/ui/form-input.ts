/** `name=value` lines as v3 config entries; blank lines are skipped. */
export function parseConfigLines(text: string): { name: string; value: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const at = line.indexOf('=')
      return at < 0
        ? { name: line, value: '' }
        : { name: line.slice(0, at).trim(), value: line.slice(at + 1).trim() }
    })
}

/**
 * A number typed in a form, as a JSON number when it reads as one and as the
 * text otherwise: the API then refuses it with its own message, where
 * Number() would have sent null (NaN) and let a default stand in silently.
 */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim()
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text
}
