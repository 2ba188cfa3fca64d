// Every model the API serves: added and shipped GGUFs (run locally) and owner-configured remote endpoints,
// each with its capabilities, so clients can tell a code model (chat:false) from a chat model.
import { ModelNotFoundError } from './errors.js';
import type { LocalModels, ModelRuntimeStatus } from './local-models.js';
import { loadRemotes, type RemoteModel } from './remote.js';
import type { ModelStore, StoredModel } from './store.js';

export interface Capabilities { chat: boolean; embeddings: boolean; tools: boolean }

export type Target = { kind: 'local'; model: StoredModel } | { kind: 'remote'; remote: RemoteModel };

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  capabilities: Capabilities;
  dialogos: Record<string, unknown>;
}

export class Registry {
  constructor(private readonly store: ModelStore, private readonly remotesFile: string, private readonly local: LocalModels, private readonly log?: (m: string) => void) {}

  private async remotes(): Promise<RemoteModel[]> {
    try { return await loadRemotes(this.remotesFile); } catch (err) {
      this.log?.((err as Error).message);
      return [];
    }
  }

  /** Local models first (added, shipped), then remotes whose names are not taken. */
  async targets(): Promise<Target[]> {
    const local = await this.store.list();
    const names = new Set(local.map((m) => m.name));
    return [...local.map((model) => ({ kind: 'local' as const, model })), ...(await this.remotes()).filter((r) => !names.has(r.name)).map((remote) => ({ kind: 'remote' as const, remote }))];
  }

  /** Throws ModelNotFoundError (404 model_not_found) listing the models there are. */
  async resolve(name: string): Promise<Target> {
    const all = await this.targets();
    const t = all.find((x) => (x.kind === 'local' ? x.model.name : x.remote.name) === name);
    if (!t) throw new ModelNotFoundError(name, all.map((x) => (x.kind === 'local' ? x.model.name : x.remote.name)));
    return t;
  }

  entry(t: Target): ModelEntry {
    if (t.kind === 'remote') {
      const c = t.remote.capabilities ?? {};
      const capabilities = { chat: c.chat ?? true, embeddings: c.embeddings ?? true, tools: c.tools ?? true };
      return {
        id: t.remote.name, object: 'model', created: 0, owned_by: 'remote', capabilities,
        dialogos: { source: 'remote', baseUrl: t.remote.baseUrl, model: t.remote.model },
      };
    }
    const m = t.model;
    const rt: ModelRuntimeStatus = this.local.status(m);
    return {
      id: m.name, object: 'model', created: m.addedAt ? Math.floor(Date.parse(m.addedAt) / 1000) : 0, owned_by: 'dialogos',
      capabilities: { chat: m.chatTemplate, embeddings: true, tools: m.chatTemplate },
      dialogos: { source: m.source, architecture: m.architecture, parameters: m.parameters, contextLength: m.contextLength, size: m.size, sha256: m.sha256, ...rt },
    };
  }

  async entries(): Promise<ModelEntry[]> { return (await this.targets()).map((t) => this.entry(t)); }
}
