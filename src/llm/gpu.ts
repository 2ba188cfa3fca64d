// Which GPU builds of llama.cpp sit next to node-llama-cpp. Only the CPU build is a dependency (the CUDA
// one alone is 500+ MB); `./dialogos` adds a GPU build when it sees the hardware, and the service then
// tries the GPU by default.
import { createRequire } from 'node:module';
import type { GpuChoice } from './worker-protocol.js';

const GPU_PACKAGES = { cuda: '@node-llama-cpp/linux-x64-cuda', vulkan: '@node-llama-cpp/linux-x64-vulkan' } as const;
export type GpuBuild = keyof typeof GPU_PACKAGES;

/** The GPU builds resolvable from `from` (this module by default). */
export function installedGpuBuilds(from: string = import.meta.url): GpuBuild[] {
  const req = createRequire(from);
  return (Object.keys(GPU_PACKAGES) as GpuBuild[]).filter((k) => {
    try {
      req.resolve(GPU_PACKAGES[k]);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * 'auto' when a GPU build is installed (the worker still refuses software Vulkan and no device at all, and
 * falls back to the CPU), the CPU otherwise: probing for builds that are not there only costs start time.
 */
export function defaultGpu(builds: GpuBuild[] = installedGpuBuilds()): GpuChoice {
  return builds.length > 0 ? 'auto' : false;
}
