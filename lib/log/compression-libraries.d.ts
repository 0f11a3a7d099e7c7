// The pure JavaScript codecs ship no types of their own.
declare module 'lz4js' {
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array
}

declare module 'snappyjs' {
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array
  export function compress(uncompressed: Uint8Array): Uint8Array
}
