// dialogos image: build the bootable disk image.
//
// SYNOPSIS
//   dialogos image build [--out FILE] [--work DIR] [--cache DIR] [--key FILE] [--compression zstd:N|lz4] [--force]
//
// DESCRIPTION
//   Builds a GPT disk image (ESP with systemd-boot and A/B unified kernel images, ext4 data partition
//   with the signed first generation) from this source tree. Same inputs give the same bytes. The
//   digest of the inputs is written to FILE.inputs; without --force an up-to-date image is left alone.
import type { Command } from 'commander';
import { buildImage, isImageStale, DEFAULT_COMPRESSION, type Compression, type ImageBuildOptions } from '../image/index.js';

export interface ImageBuildFlags {
  out?: string;
  work?: string;
  cache?: string;
  key?: string;
  compression?: string;
  force?: boolean;
}

/** `dialogos image build`; returns the exit code. */
export async function runImageBuild(flags: ImageBuildFlags, sourceRoot = process.cwd(), bind: Partial<ImageBuildOptions> = {}): Promise<number> {
  const compression = (flags.compression ?? DEFAULT_COMPRESSION) as Compression;
  if (!/^(zstd:\d{1,2}|lz4)$/.test(compression)) {
    process.stderr.write(`dialogos: Cannot build the image: unknown compression "${compression}" (zstd:N or lz4)\n`);
    return 2;
  }
  const opts: ImageBuildOptions = { sourceRoot, compression, ...bind };
  if (flags.out) opts.out = flags.out;
  if (flags.work) opts.workDir = flags.work;
  if (flags.cache) opts.cacheDir = flags.cache;
  if (flags.key) opts.keyFile = flags.key;
  if (!flags.force && !(await isImageStale(opts))) {
    process.stderr.write('image: up to date (inputs unchanged); --force rebuilds\n');
    return 0;
  }
  const r = await buildImage(opts);
  process.stdout.write(`${r.image} generation=${r.generation} inputs=${r.digest.slice(0, 16)} ${r.seconds.toFixed(1)}s\n`);
  return 0;
}

export function registerImage(program: Command): void {
  const image = program.command('image').description('build the bootable disk image');
  image.command('build')
    .description('build build/dialogos.img (reproducible; skipped when its inputs are unchanged)')
    .option('--out <file>', 'disk image to write', 'build/dialogos.img')
    .option('--work <dir>', 'work folder', 'build/work')
    .option('--cache <dir>', 'cache of slow steps (initramfs, stripped node)', '.dialogos/cache')
    .option('--key <file>', 'signing key (created when missing)', '.dialogos/keys/build.key')
    .option('--compression <codec>', 'initramfs compression: zstd:N or lz4', DEFAULT_COMPRESSION)
    .option('--force', 'rebuild even when the inputs are unchanged')
    .action(async (flags: ImageBuildFlags) => {
      process.exitCode = await runImageBuild(flags);
    });
}
