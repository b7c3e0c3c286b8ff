/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside each compressible file
 * of the build, so the server sends Monaco and the bundles compressed without compressing per
 * request (server/static-file.ts picks the variant by Accept-Encoding). Files under 1 KB gain
 * nothing worth a variant; a variant that is not smaller than its file is not written.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin } from 'vite';

/** Text and other formats that compress; images and woff/woff2 are compressed already. */
export const compressibleExtensions: ReadonlySet<string> = new Set([
  '.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.wasm', '.ttf', '.otf', '.txt', '.kql', '.xml', '.ico',
]);
export const MIN_COMPRESS_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface PrecompressedFile {
  /** Relative to the folder, with `/`. */
  file: string;
  raw: number;
  /** Bytes of the variant written, or undefined when it would not have been smaller. */
  br?: number;
  gzip?: number;
}

/** Compresses every eligible file under `dir` (recursively); what was written, by file. */
export async function precompressDir(dir: string): Promise<PrecompressedFile[]> {
  const files = (await listFiles(dir)).filter((f) => compressibleExtensions.has(extname(f)));
  const results = await Promise.all(files.map((f) => precompressFile(dir, f)));
  return results.filter((r): r is PrecompressedFile => r !== undefined);
}

async function precompressFile(dir: string, path: string): Promise<PrecompressedFile | undefined> {
  if ((await stat(path)).size < MIN_COMPRESS_BYTES) return undefined;
  const bytes = await readFile(path);
  const [br, gz] = await Promise.all([
    brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
    gzipAsync(bytes, { level: 9 }),
  ]);
  const result: PrecompressedFile = { file: relative(dir, path).split('\\').join('/'), raw: bytes.length };
  if (br.length < bytes.length) {
    await writeFile(`${path}.br`, br);
    result.br = br.length;
  }
  if (gz.length < bytes.length) {
    await writeFile(`${path}.gz`, gz);
    result.gzip = gz.length;
  }
  return result;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? Promise.resolve([join(dir, e.name)]) : Promise.resolve([]))),
  );
  return nested.flat();
}

/** The Vite plugin: once the bundle is written, compress the output folder. */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'upkeep-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await precompressDir(outDir);
    },
  };
}
