// The VM subsystem's only dependency on the image builder: `up`, `test` and the boot bench need a built,
// current image. The lead binds this to src/image's public face; until src/image exists here the import is
// resolved at run time, so this subsystem builds and tests on its own.
import { join } from 'node:path';
import * as image from '../image/index.js';
import { buildDir, projectRoot } from './paths.js';

/** The subset of src/image's ImageBuildOptions this subsystem passes. */
export interface ImageBuildOptions {
  sourceRoot: string;
  out: string;
}

export interface ImageBuilder {
  buildImage(opts: ImageBuildOptions): Promise<unknown>;
  isImageStale(opts: ImageBuildOptions): Promise<boolean> | boolean;
}

/** Where `dialogos image build` writes by default. */
export function defaultImagePath(): string {
  return join(buildDir(), 'dialogos.img');
}

/** src/image's builder (the VM subsystem depends on src/image, never the reverse). */
export async function imageBuilder(): Promise<ImageBuilder> {
  return image;
}

/** Builds the image at `out` when it is stale or missing; returns whether it built. */
export async function ensureImage(out: string, log: (line: string) => void): Promise<boolean> {
  const builder = await imageBuilder();
  const opts = { sourceRoot: projectRoot(), out };
  if (!(await builder.isImageStale(opts))) return false;
  log(`dialogos: building the image (${out})`);
  await builder.buildImage(opts);
  return true;
}
