import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_COMPRESS_BYTES, precompressDir } from './precompress.js';

describe('precompressDir: .br and .gz beside each compressible file of a build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upkeep-precompress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes both variants of large text files, and they decompress to the file', async () => {
    mkdirSync(join(dir, 'assets', 'nested'), { recursive: true });
    const js = Buffer.from('export const answer = () => 42;\n'.repeat(400));
    const css = Buffer.from('.cell { color: red; padding: 2px }\n'.repeat(100));
    writeFileSync(join(dir, 'assets', 'index-Abc12345.js'), js);
    writeFileSync(join(dir, 'assets', 'nested', 'theme-Abc12345.css'), css);
    writeFileSync(join(dir, 'assets', 'tiny-Abc12345.js'), 'x'.repeat(MIN_COMPRESS_BYTES - 1));
    writeFileSync(join(dir, 'assets', 'noise-Abc12345.js'), randomBytes(4096));
    writeFileSync(join(dir, 'assets', 'logo-Abc12345.png'), Buffer.alloc(8192));

    const written = await precompressDir(dir);

    expect(written.map((w) => w.file).sort()).toEqual(['assets/index-Abc12345.js', 'assets/nested/theme-Abc12345.css', 'assets/noise-Abc12345.js']);
    for (const [file, bytes] of [['assets/index-Abc12345.js', js], ['assets/nested/theme-Abc12345.css', css]] as const) {
      const br = readFileSync(join(dir, `${file}.br`));
      const gz = readFileSync(join(dir, `${file}.gz`));
      expect(brotliDecompressSync(br).equals(bytes), file).toBe(true);
      expect(gunzipSync(gz).equals(bytes), file).toBe(true);
      expect(br.length).toBeLessThan(gz.length);
      expect(written.find((w) => w.file === file)).toEqual({ file, raw: bytes.length, br: br.length, gzip: gz.length });
    }
  });

  it('skips files under 1 KB, formats compressed already, and files that would not shrink', () => {
    for (const name of ['tiny-Abc12345.js', 'logo-Abc12345.png', 'noise-Abc12345.js']) {
      expect(existsSync(join(dir, 'assets', `${name}.br`)), name).toBe(false);
      expect(existsSync(join(dir, 'assets', `${name}.gz`)), name).toBe(false);
    }
  });
});
