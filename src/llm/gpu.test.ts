// The GPU default follows what is installed: the CPU build alone here, so the CPU; a GPU build makes it auto.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { defaultGpu, installedGpuBuilds } from './gpu.js';
import { requireHost } from '../testkit/prerequisite.js';

test('no GPU build next to a fresh tree means the CPU; a vulkan build there means auto', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gpu-builds-'));
  try {
    const from = pathToFileURL(join(dir, 'main.js')).href;
    assert.deepEqual(installedGpuBuilds(from), []);
    assert.equal(defaultGpu(installedGpuBuilds(from)), false);
    const pkg = join(dir, 'node_modules/@node-llama-cpp/linux-x64-vulkan');
    await mkdir(pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@node-llama-cpp/linux-x64-vulkan', main: 'index.js' }));
    await writeFile(join(pkg, 'index.js'), '');
    assert.deepEqual(installedGpuBuilds(from), ['vulkan']);
    assert.equal(defaultGpu(installedGpuBuilds(from)), 'auto');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('./dialogos installs no GPU build on a host without an NVIDIA driver, so the service uses the CPU', (t) => {
  // A host with a GPU is not a broken host: there the CPU default is not what should happen, so a plain skip.
  const noGpu = !existsSync('/proc/driver/nvidia/version') && (process.env.DIALOGOS_GPU ?? 'auto') === 'auto';
  if (requireHost(t, 'no GPU', noGpu, 'this host has an NVIDIA driver or DIALOGOS_GPU set', { expected: false })) return;
  assert.deepEqual(installedGpuBuilds(), []);
  assert.equal(defaultGpu(), false);
});
