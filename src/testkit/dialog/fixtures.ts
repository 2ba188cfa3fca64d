// Fixtures for the dialog's tests: a tiny source tree on disk and a scripted chat model.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChatRequest, ModelClient, ModelInfo, ToolCall } from '../../dialog/types.js';

export const FIXTURE: Record<string, string> = {
  'package.json': '{"name":"fixture"}\n',
  'src/store/index.ts': "// The store's public face.\nexport { writeThing, Store } from './store.js';\n",
  'src/store/store.ts': [
    '// Keeps things on disk.',
    "import { hash } from '../util/hash.js';",
    '',
    '/** Writes a thing; returns its id. */',
    'export async function writeThing(name: string): Promise<string> {',
    '  return hash(name);',
    '}',
    '',
    'export class Store {',
    '  put(name: string): Promise<string> {',
    '    return writeThing(name);',
    '  }',
    '}',
  ].join('\n'),
  'src/util/hash.ts': "// Hashing helpers.\nexport function hash(s: string): string {\n  return s;\n}\n",
  'src/other/hash.ts': '// A second hash, to make "hash" ambiguous.\nexport function hash(n: number): number {\n  return n;\n}\n',
  'src/store/store.test.ts': "import { writeThing } from './store.js';\ntest('writes', () => writeThing('a'));\n",
};

/** Writes FIXTURE into a temp dir; returns it and a disposer. */
export async function fixtureTree(): Promise<{ root: string; dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'dlg-fix-'));
  for (const [p, text] of Object.entries(FIXTURE)) {
    await mkdir(dirname(join(root, p)), { recursive: true });
    await writeFile(join(root, p), text);
  }
  return { root, dispose: () => rm(root, { recursive: true, force: true }) };
}

export type Scripted = { content?: string; calls?: Array<[string, string]> };

/** A chat model that plays back `script` turn by turn and records the requests it got. */
export function scriptedModel(script: Scripted[], models: ModelInfo[] = [{ id: 'big', chat: true, tools: true, embeddings: false }]): ModelClient & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  let i = 0;
  return {
    requests,
    models: async () => models,
    async chat(req, onDelta) {
      requests.push(structuredClone(req));
      const s = script[i++];
      if (!s) throw new Error('script exhausted');
      const toolCalls: ToolCall[] = (s.calls ?? []).map(([name, args], n) => ({ id: `c${i}-${n}`, type: 'function', function: { name, arguments: args } }));
      if (s.content) onDelta?.(s.content);
      return { content: s.content ?? '', toolCalls };
    },
  };
}
